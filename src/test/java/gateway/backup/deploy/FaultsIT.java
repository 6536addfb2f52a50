package gateway.backup.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.backup.TestApi;
import gateway.backup.TestDatabase;
import gateway.backup.security.Roles;
import gateway.backup.security.TestTokens;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults under the packaged service, on a PostgreSQL cluster of this test's own (so that it can
 * be stopped and connections killed without disturbing anyone): kill -9 in the middle of a
 * restore, the database connection killed in the middle of a backup and of an auto-backup, and
 * PostgreSQL restarted under the running service.
 */
public class FaultsIT {

    static final String DATABASE = "gateway_faults";
    static final Path WORK = Path.of("target/faults-it");
    static final String IMPORT = "/api/backups/import?includeChannels=true&includeModels=true&includeAPIKeys=true"
            + "&channelConflictStrategy=skip&modelConflictStrategy=skip&modelPriceConflictStrategy=skip&apiKeyConflictStrategy=skip";
    static final String EXPORT = "/api/backups/export?includeChannels=true&includeModels=true&includeAPIKeys=true";
    /** Faults this class injects, one per test. */
    public static final int FAULTS = 4;
    static final ObjectMapper JSON = new ObjectMapper();

    static ThrowAwayPostgres postgres;
    static String secret = "faults-it-" + UUID.randomUUID();

    @BeforeAll
    static void ownPostgres() throws Exception {
        Assumptions.assumeTrue(ThrowAwayPostgres.available(), "PostgreSQL 15's initdb is not installed");
        Files.createDirectories(WORK);
        postgres = ThrowAwayPostgres.create(DATABASE);
    }

    @AfterAll
    static void dropPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    static Connection jdbc() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.port + "/" + DATABASE, "gateway", "gateway");
    }

    static void sql(String statement) throws SQLException {
        try (Connection c = jdbc(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    static String value(String query) throws SQLException {
        try (Connection c = jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static Map<String, Long> rowCounts() throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TestDatabase.GATEWAY_TABLES.split(",\\s*")) {
            counts.put(table, Long.parseLong(value("select count(*) from " + table)));
        }
        return counts;
    }

    /** Kills the service's backends that are inside a transaction; how many. */
    static int killTransactions() throws SQLException {
        return killTransactions("");
    }

    /** Kills the service's backends inside a transaction whose last statement mentions the text; how many. */
    static int killTransactions(String queryPart) throws SQLException {
        try (Connection c = jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = current_database() "
                        + "and pid <> pg_backend_pid() and xact_start is not null and backend_type = 'client backend' "
                        + "and query like '%" + queryPart + "%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static void awaitTransactionWith(String queryPart, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (!"0".equals(value("select count(*) from pg_stat_activity where datname = current_database() and pid <> "
                    + "pg_backend_pid() and xact_start is not null and query like '%" + queryPart + "%'"))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no transaction running " + queryPart + " within " + seconds + " s");
    }

    static String token() {
        return TestTokens.sign(TestTokens.ISSUER, Set.of(Roles.OWNER), Instant.now().plus(Duration.ofHours(1)), secret);
    }

    static HttpRequest.Builder request(PackagedService service, String path) {
        return HttpRequest.newBuilder(service.uri(path)).header("Authorization", "Bearer " + token());
    }

    /** requests usage requests (about 1 KB of body each) with a usage log each, written by SQL. */
    static void seedUsage(int requests) throws SQLException {
        sql("truncate " + TestDatabase.GATEWAY_TABLES + " restart identity");
        sql("insert into projects (name, description, status) values ('Default', '', 'active')");
        sql("insert into requests (project_id, model_id, request_body, status, created_at) select 1, 'gpt-4o', "
                + "jsonb_build_object('messages', repeat('x', 1000)), 'completed', now() - g * interval '1 second' "
                + "from generate_series(1, " + requests + ") g");
        sql("insert into usage_logs (request_id, project_id, prompt_tokens, total_tokens) select id, 1, 10, 10 from requests");
    }

    @Test
    void shouldLeaveTheDatabaseUnchangedAfterKill9MidRestore() throws Exception {
        PackagedService service = PackagedService.start(WORK, DATABASE, postgres.port, secret);
        Path backup = GracefulShutdownIT.writeBackup(WORK.resolve("backup-200k-usage-rows.json")); // while it starts
        try {
            service.awaitReadiness(200, 90);
            sql("truncate " + TestDatabase.GATEWAY_TABLES + " restart identity");
            Map<String, Long> before = rowCounts();
            CompletableFuture<HttpResponse<String>> answer = HttpClient.newHttpClient().sendAsync(
                    request(service, IMPORT).POST(HttpRequest.BodyPublishers.ofFile(backup)).build(),
                    HttpResponse.BodyHandlers.ofString());
            awaitTransactionWith("restore usage requests", 90);
            assertFalse(answer.isDone(), "the import ended before the kill");
            service.kill(); // SIGKILL: the JVM gets no chance to roll back; PostgreSQL must
            assertTrue(answer.handle((r, e) -> e != null || r.statusCode() != 200).get(30, TimeUnit.SECONDS));

            PackagedService restarted = PackagedService.start(WORK, DATABASE, postgres.port, secret);
            try {
                restarted.awaitReadiness(200, 90);
                assertEquals(before, rowCounts(), "row counts after kill -9 and restart");
                try (var left = Files.list(restarted.uploads)) {
                    assertEquals(List.of(), left.toList(), "the killed import's spool file is deleted at the next start");
                }
            } finally {
                restarted.close();
            }
        } finally {
            service.close();
            Files.deleteIfExists(backup);
        }
    }

    @Test
    void shouldBreakTheTransferWhenTheDatabaseConnectionDiesMidBackup() throws Exception {
        try (PackagedService service = PackagedService.start(WORK, DATABASE, postgres.port, secret)) {
            service.awaitReadiness(200, 90);
            seedUsage(50_000);
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request(service, EXPORT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            boolean broken = false;
            java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
            try (InputStream body = response.body()) {
                whole.write(body.readNBytes(64 * 1024)); // the client reads slowly: the backup waits for it
                assertEquals(64 * 1024, whole.size());
                assertTrue(killTransactions() > 0, "the backup's snapshot transaction was running");
                body.transferTo(whole);
            } catch (IOException e) {
                broken = true; // the transfer is reset: the client cannot take it for a whole file
            }
            assertTrue(broken, "the transfer ended normally after the connection was killed (" + whole.size() + " bytes)");
            String log = service.tail();
            assertTrue(log.contains("export: failed") && log.contains("transfer reset"), log);
            assertFalse(log.contains(secret), "no secret in the log");

            // The pool recovers: the next backup is whole.
            HttpResponse<InputStream> again = HttpClient.newHttpClient().send(request(service, EXPORT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            JsonNode file = JSON.readTree(again.body());
            assertEquals(50_000, file.get("usage_logs").size());
        }
    }

    @Test
    void shouldLeaveNoPartialFileAndRecordTheErrorWhenAnAutoBackupLosesItsConnection() throws Exception {
        Path directory = Files.createDirectories(WORK.resolve("fs-storage-" + System.nanoTime())).toAbsolutePath();
        try (PackagedService service = PackagedService.start(WORK, DATABASE, postgres.port, secret)) {
            service.awaitReadiness(200, 90);
            seedUsage(50_000);
            sql("insert into data_storages (name, type, settings, status) values ('faults', 'fs', "
                    + "'{\"directory\": \"" + directory + "\"}', 'active')");
            sql("insert into systems (key, value) values ('system_auto_backup_settings', "
                    + "'{\"enabled\": true, \"data_storage_id\": 1, \"include_usage_stats\": true, \"include_request_logs\": true}')");
            HttpResponse<String> trigger = HttpClient.newHttpClient().send(request(service, "/graphql")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"mutation { triggerAutoBackup { success message } }\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(trigger.body().contains("\"success\":true"), trigger.body());
            // Killed once the file is being written (the fs storage's temp file is there): mid-write.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int killed = 0;
            while (killed == 0 && System.nanoTime() < until) {
                boolean writing;
                try (var files = Files.list(directory)) {
                    writing = files.anyMatch(f -> f.getFileName().toString().startsWith(".tmp-"));
                }
                if (writing) {
                    killed = killTransactions();
                }
                Thread.sleep(2);
            }
            assertTrue(killed > 0, "the auto-backup's snapshot transaction was running:\n" + service.tail());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String error = "";
            while (System.nanoTime() < deadline && error.isEmpty()) {
                String settings = value("select value from systems where key = 'system_auto_backup_settings'");
                error = JSON.readTree(settings).path("last_backup_error").asText("");
                Thread.sleep(200);
            }
            assertFalse(error.isEmpty(), "last_backup_error is recorded:\n" + service.tail());
            try (var files = Files.list(directory)) {
                assertEquals(List.of(), files.toList(), "no partial backup file is left; error: " + error);
            }
        }
    }

    @Test
    void shouldComeBackAfterPostgreSQLRestartsWithoutRestartingTheService() throws Exception {
        Path fixture = TestApi.fixturePath();
        try (PackagedService service = PackagedService.start(WORK, DATABASE, postgres.port, secret)) {
            service.awaitReadiness(200, 90);
            sql("truncate " + TestDatabase.GATEWAY_TABLES + " restart identity");
            HttpClient client = HttpClient.newHttpClient();
            assertEquals(200, client.send(request(service, IMPORT).POST(HttpRequest.BodyPublishers.ofFile(fixture)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());

            postgres.stop();
            service.awaitReadiness(503, 60);
            HttpResponse<String> meanwhile = client.send(request(service, IMPORT).POST(HttpRequest.BodyPublishers.ofFile(fixture))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(meanwhile.statusCode() >= 500, "a restore without a database fails: " + meanwhile.body());
            postgres.start();
            service.awaitReadiness(200, 90);

            HttpResponse<InputStream> backup = client.send(request(service, EXPORT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, backup.statusCode());
            assertEquals(3, JSON.readTree(backup.body()).get("usage_logs").size(), "a whole backup after the restart");
            HttpResponse<String> restore = client.send(request(service, IMPORT).POST(HttpRequest.BodyPublishers.ofFile(fixture))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, restore.statusCode(), restore.body());
            assertEquals("3", value("select count(*) from usage_logs"), "the second restore added nothing");
        }
    }
}
