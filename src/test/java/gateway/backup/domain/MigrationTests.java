package gateway.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The service's migrations, with the service's own Flyway settings, on a new empty database
 * and on a database that already holds the gateway's tables and rows.
 */
@QuarkusTest
class MigrationTests {

    static final List<String> GATEWAY_TABLES = List.of("projects", "channels", "models", "channel_model_prices",
            "channel_model_price_versions", "api_keys", "requests", "usage_logs", "data_storages", "systems");
    static final List<String> SERVICE_INDEXES = List.of("projects_name_live", "channels_name_live",
            "models_developer_model_id_live", "channel_model_prices_reference_id", "api_keys_key", "systems_key",
            "requests_created_at", "usage_logs_request_id");

    final Config config = ConfigProvider.getConfig();
    final String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
    final String user = config.getValue("quarkus.datasource.username", String.class);
    final String password = config.getValue("quarkus.datasource.password", String.class);

    @Test
    void shouldCreateEveryTableOnAnEmptyDatabase() throws Exception {
        String db = freshDatabase("empty");
        migrate(db);
        try (Connection c = connect(db)) {
            assertTrue(names(c, "select tablename from pg_tables where schemaname = 'public'").containsAll(GATEWAY_TABLES));
            assertTrue(names(c, "select indexname from pg_indexes where schemaname = 'public'").containsAll(SERVICE_INDEXES));
        }
    }

    @Test
    void shouldApplyToAGatewayDatabaseAndKeepItsRows() throws Exception {
        String db = freshDatabase("existing");
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            s.execute(new String(getClass().getResourceAsStream("/gateway-existing-database.sql").readAllBytes(),
                    StandardCharsets.UTF_8));
        }
        migrate(db);
        migrate(db); // and again: a restarted service finds nothing to do
        try (Connection c = connect(db)) {
            assertTrue(names(c, "select indexname from pg_indexes where schemaname = 'public'").containsAll(SERVICE_INDEXES));
            assertEquals(Set.of("Existing"), names(c, "select name from channels"));
            assertEquals(Set.of("{\"apiKey\": \"sk-existing\"}"), names(c, "select credentials::text from channels"));
            assertEquals(Set.of("1"), names(c, "select count(*)::text from requests"));
            assertTrue(names(c, "select column_name from information_schema.columns where table_name = 'channels'")
                    .contains("gateway_only_column"));
        }
    }

    /** The same settings as quarkus.flyway.* in application.properties. */
    void migrate(String db) {
        Flyway.configure()
                .dataSource(urlOf(db), user, password)
                .locations("classpath:db/migration")
                .baselineOnMigrate(config.getValue("quarkus.flyway.baseline-on-migrate", Boolean.class))
                .baselineVersion(config.getValue("quarkus.flyway.baseline-version", String.class))
                .load()
                .migrate();
    }

    String freshDatabase(String suffix) throws SQLException {
        String db = url.substring(url.lastIndexOf('/') + 1) + "_migration_" + suffix;
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + db + " with (force)");
            s.execute("create database " + db);
        }
        return db;
    }

    String urlOf(String db) {
        return url.substring(0, url.lastIndexOf('/') + 1) + db;
    }

    Connection connect(String db) throws SQLException {
        return DriverManager.getConnection(urlOf(db), user, password);
    }

    static Set<String> names(Connection c, String sql) throws SQLException {
        Set<String> names = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
