package gateway.backup.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.backup.TestApi;
import gateway.backup.TestDatabase;
import gateway.backup.security.Roles;
import gateway.backup.security.TestTokens;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.net.URI;
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
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged service (target/quarkus-app) as a separate process, run with the image's JVM
 * options and the production configuration: SIGTERM in the middle of a large restore makes it
 * exit within the pod's grace period, and the restore leaves every table as it was.
 */
class GracefulShutdownIT {

    static final String DATABASE = System.getenv().getOrDefault("GATEWAY_BACKUP_TEST_DB", "gateway_backup_test");
    static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/" + DATABASE;
    static final int REQUESTS = 100_000; // + one usage log each: 200,000 usage rows
    static final Path WORK = Path.of("target/graceful-shutdown-it");

    PackagedService service;

    @AfterEach
    void stopService() throws InterruptedException {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void shouldRollBackARestoreAndExitWithinTheGracePeriodOnSigterm() throws Exception {
        Files.createDirectories(WORK);
        String secret = "graceful-shutdown-it-" + UUID.randomUUID();
        service = PackagedService.start(WORK, DATABASE, 5432, secret);
        Path log = service.log;
        Path backup = writeBackup(WORK.resolve("backup-200k-usage-rows.json")); // while the service starts
        service.awaitReadiness(200, 60);

        Map<String, Long> before = rowCounts();
        HttpClient client = HttpClient.newHttpClient();
        String token = TestTokens.sign(TestTokens.ISSUER, Set.of(Roles.OWNER), Instant.now().plus(Duration.ofHours(1)), secret);
        CompletableFuture<HttpResponse<String>> answer = client.sendAsync(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + service.port + "/api/backups/import?includeChannels=true&includeModels=true&includeAPIKeys=true"
                        + "&channelConflictStrategy=skip&modelConflictStrategy=skip&modelPriceConflictStrategy=skip"
                        + "&apiKeyConflictStrategy=skip"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofFile(backup)).build(), HttpResponse.BodyHandlers.ofString());

        awaitUsageInsertsInATransaction(answer, log);
        long grace = terminationGracePeriodSeconds();
        long signalled = System.nanoTime();
        service.process.destroy(); // SIGTERM, as the kubelet sends it
        boolean exited = service.process.waitFor(grace, TimeUnit.SECONDS);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - signalled);
        String output = Files.readString(log);
        assertTrue(exited, "still running " + grace + " s after SIGTERM:\n" + tail(output));

        assertTrue(output.contains("restore: rolled back: The service is shutting down"), tail(output));
        assertFalse(output.lines().anyMatch(l -> l.contains("restore: ") && l.contains(" in ") && l.contains(" ms")
                && !l.contains("read in")), "the restore finished:\n" + tail(output));
        try {
            HttpResponse<String> response = answer.get(5, TimeUnit.SECONDS);
            assertNotEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("rolled back"), response.body());
        } catch (java.util.concurrent.ExecutionException closed) {
            // The connection closed with the process: no answer, and nothing written either.
        }
        assertEquals(before, rowCounts(), "row counts after SIGTERM (exited after " + seconds + " s)");
    }

    /** The fixture's configuration sections, then REQUESTS usage requests and as many usage logs, streamed to disk. */
    static Path writeBackup(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode fixture = json.readTree(TestApi.fixture());
        ObjectNode request = (ObjectNode) fixture.get("usage_requests").get(0).deepCopy();
        ObjectNode usageLog = (ObjectNode) fixture.get("usage_logs").get(0).deepCopy();
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        try (JsonGenerator out = json.getFactory().createGenerator(Files.newOutputStream(file))) {
            out.writeStartObject();
            for (Map.Entry<String, JsonNode> field : fixture.properties()) {
                if (!field.getKey().startsWith("usage_")) {
                    out.writeFieldName(field.getKey());
                    out.writeTree(field.getValue());
                }
            }
            out.writeArrayFieldStart("usage_requests");
            for (int i = 1; i <= REQUESTS; i++) {
                String at = start.plusMillis(i).toString();
                request.put("id", i).put("created_at", at).put("updated_at", at);
                out.writeTree(request);
            }
            out.writeEndArray();
            out.writeArrayFieldStart("usage_logs");
            for (int i = 1; i <= REQUESTS; i++) {
                String at = start.plusMillis(i).toString();
                usageLog.put("id", i).put("request_id", i).put("created_at", at).put("updated_at", at);
                out.writeTree(usageLog);
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        return file;
    }

    /** Waits until the service's restore transaction is writing usage rows (seen in pg_stat_activity). */
    private void awaitUsageInsertsInATransaction(CompletableFuture<?> answer, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection db = DriverManager.getConnection(JDBC_URL, "gateway", "gateway"); Statement s = db.createStatement()) {
            while (System.nanoTime() < deadline) {
                assertFalse(answer.isDone(), "the import ended before SIGTERM:\n" + tail(Files.readString(log)));
                try (ResultSet rs = s.executeQuery("select count(*) from pg_stat_activity where datname = current_database()"
                        + " and pid <> pg_backend_pid() and xact_start is not null and query like '/* restore usage %'")) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the restore never reached the usage rows:\n" + tail(Files.readString(log)));
    }

    private static Map<String, Long> rowCounts() throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection db = DriverManager.getConnection(JDBC_URL, "gateway", "gateway"); Statement s = db.createStatement()) {
            for (String table : TestDatabase.GATEWAY_TABLES.split(",\\s*")) {
                try (ResultSet rs = s.executeQuery("select count(*) from " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    private static long terminationGracePeriodSeconds() {
        return Manifests.single(PlainManifestsTests.kustomization(PlainManifestsTests.DEPLOYMENT), Deployment.class)
                .getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
    }

    private static String tail(String output) {
        return output.length() > 4000 ? output.substring(output.length() - 4000) : output;
    }
}
