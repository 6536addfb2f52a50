package gateway.backup.api;

import static gateway.backup.TestApi.asOwner;
import static gateway.backup.TestApi.multipart;
import static gateway.backup.TestApi.fixtureFile;
import static gateway.backup.TestApi.RESTORE_OPERATIONS;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.backup.TestDatabase;
import gateway.backup.security.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Backups and restores as jobs: listed, looked up, and followed over a GraphQL subscription. */
@QuarkusTest
class JobsTests {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int USAGE_REQUESTS = 10_000;

    @Inject
    TestDatabase db;

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void empty() {
        db.reset();
    }

    @Test
    void shouldStreamProgressOfAnExportOverAWebSocketSubscription() throws Exception {
        UsageRows.seed(db, USAGE_REQUESTS);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<InputStream> export = http.send(HttpRequest.newBuilder(URI.create(base + "api/backups/export"
                + "?includeChannels=true&includeModels=true&includeAPIKeys=true"))
                .header("Authorization", "Bearer " + TestTokens.owner()).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, export.statusCode());
        String jobId = export.headers().firstValue("X-Backup-Job-Id").orElseThrow();

        Subscription subscription = Subscription.open(http, base, "subscription { backupJobProgress(id: \"" + jobId
                + "\") { id kind phase rowsDone rowsTotal rowsTotalEstimated bytes outcome message endedAt } }");
        // A slow reader: the export waits for it (backpressure), so the job runs long enough to be watched.
        long bytes = 0;
        try (InputStream body = export.body()) {
            byte[] chunk = new byte[16 * 1024];
            int n;
            while ((n = body.read(chunk)) > 0) {
                bytes += n;
                Thread.sleep(3);
            }
        }
        List<JsonNode> updates = subscription.awaitComplete();

        assertTrue(updates.size() >= 3, "several updates while the job ran: " + updates);
        long previous = -1;
        for (JsonNode update : updates) {
            assertEquals(jobId, update.get("id").asText());
            assertEquals("export", update.get("kind").asText());
            long rows = update.get("rowsDone").asLong();
            assertTrue(rows > previous, "rowsDone increases from one update to the next: " + updates);
            previous = rows;
        }
        JsonNode last = updates.get(updates.size() - 1);
        assertEquals("succeeded", last.get("outcome").asText());
        assertEquals("done", last.get("phase").asText());
        assertTrue(last.get("rowsDone").asLong() >= 2 * USAGE_REQUESTS + 2, last.toString());
        assertEquals(bytes, last.get("bytes").asLong(), "the job counts the bytes the client received");
        assertFalse(last.get("endedAt").isNull());
        assertTrue(updates.stream().limit(updates.size() - 1).allMatch(u -> u.get("outcome").asText().equals("running")));

        GraphQLClient.post("{ backupJobs(limit: 5) { id kind outcome } }")
                .body("data.backupJobs[0].id", equalTo(jobId))
                .body("data.backupJobs[0].outcome", equalTo("succeeded"));
    }

    @Test
    void shouldEndAFailedRestoresJobFailedWithItsMessage() throws Exception {
        Path broken = Files.createTempFile("broken", ".json");
        Files.writeString(broken, "{\"version\": \"9.9\"}");
        String jobId = asOwner()
                .queryParam("includeChannels", true).queryParam("includeModels", true).queryParam("includeAPIKeys", true)
                .queryParam("channelConflictStrategy", "skip").queryParam("modelConflictStrategy", "skip")
                .queryParam("modelPriceConflictStrategy", "skip").queryParam("apiKeyConflictStrategy", "skip")
                .body(broken.toFile()).post("/api/backups/import")
                .then().statusCode(400).extract().header("X-Backup-Job-Id");
        assertNotNull(jobId);
        GraphQLClient.post("{ backupJob(id: \"" + jobId + "\") { kind outcome phase message endedAt } }")
                .body("data.backupJob.kind", equalTo("import"))
                .body("data.backupJob.outcome", equalTo("failed"))
                .body("data.backupJob.phase", equalTo("failed"))
                .body("data.backupJob.message", containsString("Unsupported backup version \"9.9\""));

        // The GraphQL multipart restore: its payload names its job.
        String restoreJob = multipart(asOwner(), RESTORE_OPERATIONS.replace("success message", "success message jobId"))
                .multiPart("0", broken.toFile(), "application/json")
                .post("/graphql").then().statusCode(200)
                .body("data.restore.success", equalTo(false))
                .extract().path("data.restore.jobId");
        Files.delete(broken);
        GraphQLClient.post("{ backupJobs { id kind outcome message } }")
                .body("data.backupJobs[0].id", equalTo(restoreJob))
                .body("data.backupJobs[0].kind", equalTo("restore"))
                .body("data.backupJobs[0].outcome", equalTo("failed"))
                .body("data.backupJobs[0].message", containsString("Unsupported backup version \"9.9\""))
                .body("data.backupJobs[1].id", equalTo(jobId));
    }

    @Test
    void shouldCountTheRowsOfASucceededRestore() throws Exception {
        String restoreJob = multipart(asOwner(), RESTORE_OPERATIONS.replace("success message", "success message jobId"))
                .multiPart("0", fixtureFile(), "application/json")
                .post("/graphql").then().statusCode(200)
                .body("data.restore.success", equalTo(true))
                .extract().path("data.restore.jobId");
        long elements = 0;
        JsonNode file = JSON.readTree(fixtureFile());
        for (JsonNode section : file) {
            elements += section.isArray() ? section.size() : 0;
        }
        GraphQLClient.post("{ backupJob(id: \"" + restoreJob + "\") { kind outcome rowsDone bytes message } }")
                .body("data.backupJob.outcome", equalTo("succeeded"))
                .body("data.backupJob.rowsDone", equalTo((int) elements))
                .body("data.backupJob.bytes", equalTo((int) fixtureFile().length()))
                .body("data.backupJob.message", containsString("Restore completed"));
    }

    @Test
    void shouldAnswerAnUnknownJobWithNullAndItsSubscriptionWithAnError() throws Exception {
        GraphQLClient.post("{ backupJob(id: \"999999\") { id } }").body("data.backupJob", nullValue());
        Subscription subscription = Subscription.open(HttpClient.newHttpClient(), base,
                "subscription { backupJobProgress(id: \"999999\") { id } }");
        // SmallRye GraphQL answers an error on the subscription (its text is not passed through for subscriptions).
        JsonNode error = subscription.awaitError();
        assertTrue(error.isArray() && error.size() == 1, error.toString());
    }

    @Test
    void shouldRunATriggeredAutoBackupAsAJob() throws Exception {
        UsageRows.seed(db, 100);
        Path directory = Files.createTempDirectory("auto-jobs");
        db.execute("insert into data_storages (id, name, type, settings) values (7, 'local', 'fs', '{\"directory\": \""
                + directory + "\"}')");
        GraphQLClient.post("mutation { updateAutoBackupSettings(input: {dataStorageID: 7, includeUsageStats: true}) }")
                .body("data.updateAutoBackupSettings", equalTo(true));
        String message = GraphQLClient.post("mutation { triggerAutoBackup { success message } }")
                .body("data.triggerAutoBackup.success", equalTo(true)).extract().path("data.triggerAutoBackup.message");
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("as job (\\d+)").matcher(message);
        assertTrue(id.find(), message);
        List<JsonNode> updates = Subscription.open(HttpClient.newHttpClient(), base,
                "subscription { backupJobProgress(id: \"" + id.group(1) + "\") { kind rowsDone outcome message } }").awaitComplete();
        JsonNode last = updates.get(updates.size() - 1);
        assertEquals("auto-backup", last.get("kind").asText());
        assertEquals("succeeded", last.get("outcome").asText(), last.toString());
        assertTrue(last.get("rowsDone").asLong() >= 202, last.toString());
    }

    @Test
    void shouldRefuseASubscriptionWithoutAnOwnerToken() throws Exception {
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws") + "graphql");
        for (String token : new String[] {TestTokens.member(), "not-a-token"}) {
            try {
                HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token)
                        .subprotocols("graphql-transport-ws").buildAsync(uri, new WebSocket.Listener() {
                        }).get(10, TimeUnit.SECONDS);
                throw new AssertionError("the WebSocket upgrade was accepted");
            } catch (java.util.concurrent.ExecutionException e) {
                assertTrue(e.getCause() instanceof java.net.http.WebSocketHandshakeException, e.toString());
                int status = ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
                assertTrue(status == 401 || status == 403, "status " + status);
            }
        }
    }

    /** A graphql-transport-ws client over the JDK's WebSocket: connection_init, subscribe, next..., complete. */
    static final class Subscription implements WebSocket.Listener {
        private final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static Subscription open(HttpClient http, URL base, String query) throws Exception {
            Subscription subscription = new Subscription();
            URI uri = URI.create(base.toString().replaceFirst("^http", "ws") + "graphql");
            subscription.socket = http.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + TestTokens.owner())
                    .subprotocols("graphql-transport-ws")
                    .buildAsync(uri, subscription).get(10, TimeUnit.SECONDS);
            subscription.send(JSON.createObjectNode().put("type", "connection_init"));
            assertEquals("connection_ack", subscription.next().get("type").asText());
            ObjectNode subscribe = JSON.createObjectNode().put("type", "subscribe").put("id", "1");
            subscribe.putObject("payload").put("query", query);
            subscription.send(subscribe);
            return subscription;
        }

        private void send(JsonNode message) {
            socket.sendText(message.toString(), true).join();
        }

        private final List<JsonNode> seen = new ArrayList<>();
        private final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);

        JsonNode next() throws InterruptedException {
            JsonNode message = messages.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertNotNull(message, "the subscription ends within 90 s; messages so far: " + seen);
            seen.add(message);
            return message;
        }

        /** The data of every next message until complete. */
        List<JsonNode> awaitComplete() throws InterruptedException {
            List<JsonNode> updates = new ArrayList<>();
            while (true) {
                JsonNode message = next();
                switch (message.get("type").asText()) {
                    case "next" -> {
                        JsonNode payload = message.get("payload");
                        assertTrue(payload.path("errors").isMissingNode(), payload.toString());
                        updates.add(payload.get("data").get("backupJobProgress"));
                    }
                    case "complete" -> {
                        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
                        return updates;
                    }
                    case "ping" -> send(JSON.createObjectNode().put("type", "pong"));
                    case "pong" -> {
                    }
                    default -> throw new AssertionError("unexpected " + message + " after " + seen);
                }
            }
        }

        /** The first error, as an error message or a next carrying errors. */
        JsonNode awaitError() throws InterruptedException {
            while (true) {
                JsonNode message = next();
                String type = message.get("type").asText();
                if (type.equals("error") || (type.equals("next") && message.get("payload").has("errors"))) {
                    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
                    return message.get("payload");
                }
                assertFalse(type.equals("complete"), "an error before complete: " + message);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
        }
    }
}
