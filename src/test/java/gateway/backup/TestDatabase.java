package gateway.backup;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Direct SQL on the test database over JDBC: set up rows and look at what the service wrote. */
@ApplicationScoped
public class TestDatabase {

    public static final String GATEWAY_TABLES = "projects, channels, models, channel_model_prices, "
            + "channel_model_price_versions, api_keys, requests, usage_logs, data_storages, systems";

    @Inject
    AgroalDataSource dataSource;

    /** Empties every gateway table. */
    public void reset() {
        execute("truncate " + GATEWAY_TABLES + " restart identity");
    }

    public void execute(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public void runScript(String resource) {
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first column of every row, as text. */
    public List<String> column(String sql) {
        List<String> values = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return values;
    }

    public long count(String table) {
        return Long.parseLong(column("select count(*) from " + table).get(0));
    }

    /** Rows per gateway table, to compare before and after what must write nothing. */
    public Map<String, Long> rowCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : GATEWAY_TABLES.split(",\\s*")) {
            counts.put(table, count(table));
        }
        return counts;
    }
}
