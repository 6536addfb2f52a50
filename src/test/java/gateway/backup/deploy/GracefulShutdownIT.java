package gateway.backup.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.backup.TestDatabase;
import gateway.backup.security.Roles;
import gateway.backup.security.TestTokens;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    Process service;

    @AfterEach
    void stopService() {
        if (service != null && service.isAlive()) {
            service.destroyForcibly();
        }
    }

    @Test
    void shouldRollBackARestoreAndExitWithinTheGracePeriodOnSigterm() throws Exception {
        Files.createDirectories(WORK);
        Path log = WORK.resolve("service.log");
        String secret = "graceful-shutdown-it-" + UUID.randomUUID();
        int port = freePort();
        service = start(port, secret, log);
        Path backup = writeBackup(WORK.resolve("backup-200k-usage-rows.json")); // while the service starts
        awaitReady(port, log);

        Map<String, Long> before = rowCounts();
        HttpClient client = HttpClient.newHttpClient();
        String token = TestTokens.sign(TestTokens.ISSUER, Set.of(Roles.OWNER), Instant.now().plus(Duration.ofHours(1)), secret);
        CompletableFuture<HttpResponse<String>> answer = client.sendAsync(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/api/backups/import?includeChannels=true&includeModels=true&includeAPIKeys=true"
                        + "&channelConflictStrategy=skip&modelConflictStrategy=skip&modelPriceConflictStrategy=skip"
                        + "&apiKeyConflictStrategy=skip"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofFile(backup)).build(), HttpResponse.BodyHandlers.ofString());

        awaitUsageInsertsInATransaction(answer, log);
        long grace = terminationGracePeriodSeconds();
        long signalled = System.nanoTime();
        service.destroy(); // SIGTERM, as the kubelet sends it
        boolean exited = service.waitFor(grace, TimeUnit.SECONDS);
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
        JsonNode fixture;
        try (InputStream in = GracefulShutdownIT.class.getResourceAsStream("/fixtures/backup-v1.2-small.json")) {
            fixture = json.readTree(in);
        }
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

    private static Process start(int port, String secret, Path log) throws IOException {
        Path tmp = Files.createDirectories(WORK.resolve("tmp"));
        List<String> command = new ArrayList<>(List.of(DockerfileIT.javaBinary()));
        // The image's JVM options, with its /tmp emptyDir replaced by a directory under target/.
        for (String option : new DockerfileJvm().javaOptions()) {
            command.add(option.startsWith("-Djava.io.tmpdir=") ? "-Djava.io.tmpdir=" + tmp.toAbsolutePath() : option);
        }
        command.addAll(List.of("-XX:MaxRAM=768m", "-jar", "target/quarkus-app/quarkus-run.jar"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", JDBC_URL);
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:5432/" + DATABASE);
        env.put("QUARKUS_DATASOURCE_USERNAME", "gateway");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "gateway");
        env.put("GATEWAY_BACKUP_JWT_SECRET", secret);
        env.put("GATEWAY_BACKUP_RESTORE_UPLOAD_DIRECTORY", tmp.resolve("uploads").toAbsolutePath().toString());
        return builder.start();
    }

    private void awaitReady(int port, Path log) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertTrue(service.isAlive(), "the service stopped:\n" + tail(Files.readString(log)));
            try {
                if (client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not ready within 60 s:\n" + tail(Files.readString(log)));
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(String output) {
        return output.length() > 4000 ? output.substring(output.length() - 4000) : output;
    }
}
