package gateway.backup.backup;

import static gateway.backup.TestApi.asOwner;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.backup.TestDatabase;
import gateway.backup.security.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class BackupTests {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ALL = "includeProjects: true, includeChannels: true, includeModels: true, "
            + "includeModelPrices: true, includeAPIKeys: true, includeUsageStats: true, includeRequestLogs: true";
    static final String ALL_QUERY = "includeProjects=true&includeChannels=true&includeModels=true"
            + "&includeModelPrices=true&includeAPIKeys=true&includeUsageStats=true&includeRequestLogs=true";

    @Inject
    TestDatabase db;

    @BeforeEach
    void seed() {
        db.reset();
        db.runScript("/backup-dataset.sql");
    }

    /** Runs the GraphQL backup and returns its payload. */
    static JsonNode backupPayload(String options) {
        String query = "mutation { backup(input: {" + options + "}) { success message data } }";
        String body = asOwner()
                .contentType("application/json").body(Map.of("query", query))
                .post("/graphql").then().statusCode(200).extract().asString();
        try {
            return JSON.readTree(body).path("data").path("backup");
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    /** Runs the GraphQL backup and returns the file it produced. */
    static ObjectNode backup(String options) throws Exception {
        JsonNode payload = backupPayload(options);
        assertTrue(payload.path("success").asBoolean(), payload.toString());
        return (ObjectNode) JSON.readTree(payload.path("data").asText());
    }

    /** An owner's request that does not ask for gzip (HTTP clients ask by default). */
    static io.restassured.specification.RequestSpecification plainOwner() {
        return asOwner()
                .config(io.restassured.RestAssured.config().decoderConfig(
                        io.restassured.config.DecoderConfig.decoderConfig().noContentDecoders()));
    }

    static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void shouldWriteEverySectionInOrderWithEveryField() throws Exception {
        ObjectNode file = backup(ALL);

        assertEquals(List.of("version", "timestamp", "projects", "channels", "models", "channel_model_prices",
                "api_keys", "usage_requests", "usage_logs"), keys(file));
        assertEquals("1.2", file.get("version").asText());
        assertTrue(file.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"));

        JsonNode research = file.get("projects").get(1);
        assertEquals(2, file.get("projects").size(), "the soft-deleted project is left out");
        assertEquals(2, research.get("id").asLong());
        assertEquals("Research", research.get("name").asText());
        assertEquals("Research team", research.get("description").asText());
        assertEquals("active", research.get("status").asText());
        assertEquals("2026-02-03T08:30:00+00:00", research.get("created_at").asText());
        assertEquals("2026-03-01T09:00:00+00:00", research.get("updated_at").asText());
        assertEquals(json("{\"activeProfile\": \"fast\", \"profiles\": [{\"name\": \"fast\", \"channelIDs\": [11], \"note\": null}]}"),
                research.get("profiles"), "nested JSON, nulls included, unchanged");

        assertEquals(1, file.get("channels").size());
        JsonNode channel = file.get("channels").get(0);
        assertEquals(List.of("id", "created_at", "updated_at", "type", "base_url", "name", "status", "credentials",
                "disabled_api_keys", "supported_models", "manual_models", "auto_sync_supported_models",
                "auto_sync_model_pattern", "tags", "default_test_model", "policies", "settings", "ordering_weight",
                "error_message", "remark", "endpoints"), keys(channel));
        assertEquals("OpenAI Main", channel.get("name").asText());
        assertEquals(json("{\"apiKeys\": [\"sk-upstream-openai-AAAA\"]}"), channel.get("credentials"));
        assertEquals(json("[\"gpt-4o\", \"gpt-4o-mini\"]"), channel.get("supported_models"));
        assertEquals(10, channel.get("ordering_weight").asLong());
        assertFalse(channel.get("auto_sync_supported_models").asBoolean());

        assertEquals(1, file.get("models").size());
        JsonNode model = file.get("models").get(0);
        assertEquals("gpt-4o", model.get("model_id").asText());
        assertEquals("openai", model.get("group").asText());
        assertEquals(json("{\"associations\": [{\"type\": \"channel_model\", \"channelModel\": {\"channelId\": 11, \"modelId\": \"gpt-4o\"}}]}"),
                model.get("settings"));

        assertEquals(json("[{\"channel_name\": \"OpenAI Main\", \"model_id\": \"gpt-4o\", \"price\": {\"items\": "
                + "[{\"itemCode\": \"prompt_tokens\", \"pricing\": {\"mode\": \"usage_per_unit\", \"usagePerUnit\": \"0.0000025\"}}]}, "
                + "\"reference_id\": \"price-ref-1\"}]"), file.get("channel_model_prices"),
                "prices of deleted channels and deleted prices are left out");

        assertEquals(1, file.get("api_keys").size());
        JsonNode key = file.get("api_keys").get(0);
        assertEquals("ak-live-secret-21", key.get("key").asText());
        assertEquals("Research", key.get("project_name").asText());
        assertEquals(2, key.get("project_id").asLong());
        assertEquals(json("[\"read_channels\"]"), key.get("scopes"));

        JsonNode request = file.get("usage_requests").get(0);
        assertEquals(json("{\"id\": 1001, \"created_at\": \"2026-05-01T10:00:00.123456+00:00\", "
                + "\"updated_at\": \"2026-05-01T10:00:02+00:00\", \"api_key_id\": 21, \"project_id\": 2, "
                + "\"source\": \"api\", \"model_id\": \"gpt-4o\", \"reasoning_effort\": \"high\", "
                + "\"format\": \"openai/chat_completions\", \"channel_id\": 11, \"external_id\": \"ext-1\", "
                + "\"status\": \"completed\", \"stream\": true, \"client_ip\": \"10.1.2.3\", \"metrics_latency_ms\": 812, "
                + "\"metrics_first_token_latency_ms\": 120, \"project_name\": \"Research\", \"channel_name\": \"OpenAI Main\", "
                + "\"api_key_key\": \"ak-live-secret-21\", \"request_headers\": {\"User-Agent\": [\"curl\"]}, "
                + "\"request_body\": {\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\", \"name\": null}]}, "
                + "\"response_body\": {\"id\": \"chatcmpl-1\"}, \"response_chunks\": [{\"delta\": \"he\"}]}"), request);
        JsonNode failed = file.get("usage_requests").get(1);
        assertEquals(json("{\"id\": 1002, \"created_at\": \"2026-05-01T10:00:05+00:00\", "
                + "\"updated_at\": \"2026-05-01T10:00:05+00:00\", \"project_id\": 1, \"source\": \"api\", "
                + "\"model_id\": \"claude\", \"format\": \"anthropic/messages\", \"channel_id\": 12, \"status\": \"failed\", "
                + "\"project_name\": \"Default\", \"channel_name\": \"Gone\", \"request_body\": {}}"), failed,
                "null, zero, false and empty fields are left out; a deleted channel keeps its name");

        assertEquals(json("{\"id\": 5001, \"created_at\": \"2026-05-01T10:00:02+00:00\", "
                + "\"updated_at\": \"2026-05-01T10:00:02+00:00\", \"request_id\": 1001, \"api_key_id\": 21, "
                + "\"project_id\": 2, \"channel_id\": 11, \"model_id\": \"gpt-4o\", \"prompt_tokens\": 100, "
                + "\"completion_tokens\": 50, \"total_tokens\": 150, \"prompt_cached_tokens\": 20, "
                + "\"prompt_write_cached_tokens_5m\": 7, \"source\": \"api\", \"format\": \"openai/chat_completions\", "
                + "\"total_cost\": 0.00075, \"cost_price_reference_id\": \"price-ref-1\", \"project_name\": \"Research\", "
                + "\"channel_name\": \"OpenAI Main\", \"api_key_key\": \"ak-live-secret-21\", "
                + "\"cost_items\": [{\"itemCode\": \"prompt_tokens\", \"quantity\": 100, \"tier\": null}]}"),
                file.get("usage_logs").get(0));
        assertEquals(json("{\"id\": 5002, \"created_at\": \"2026-05-01T10:00:05+00:00\", "
                + "\"updated_at\": \"2026-05-01T10:00:05+00:00\", \"request_id\": 1002, \"project_id\": 1, "
                + "\"channel_id\": 12, \"model_id\": \"claude\", \"source\": \"api\", \"format\": \"anthropic/messages\", "
                + "\"project_name\": \"Default\", \"channel_name\": \"Gone\"}"), file.get("usage_logs").get(1));
        assertFalse(file.toString().contains("\"edges\""));
    }

    @Test
    void shouldLeaveOutEachSectionWhoseFlagIsOff() throws Exception {
        String[] flags = {"includeProjects", "includeChannels", "includeModels", "includeModelPrices", "includeAPIKeys",
                "includeUsageStats"};
        Map<String, List<String>> sections = Map.of("includeProjects", List.of("projects"),
                "includeChannels", List.of("channels"), "includeModels", List.of("models"),
                "includeModelPrices", List.of("channel_model_prices"), "includeAPIKeys", List.of("api_keys"),
                "includeUsageStats", List.of("usage_requests", "usage_logs"));
        for (String off : flags) {
            ObjectNode file = backup(ALL.replace(off + ": true", off + ": false"));
            for (String section : sections.get(off)) {
                if (section.equals("channels") || section.equals("models")) {
                    assertEquals(0, file.get(section).size(), section + " is always present, empty when off");
                } else {
                    assertFalse(file.has(section), section + " must be absent with " + off + " off");
                }
            }
            assertEquals(9 - (off.equals("includeUsageStats") ? 2 : 1) + (off.equals("includeChannels")
                    || off.equals("includeModels") ? 1 : 0), file.size(), "only " + off + " changed the file");
        }
    }

    @Test
    void shouldWriteNoApiKeyValueWithoutApiKeys() throws Exception {
        ObjectNode file = backup(ALL.replace("includeAPIKeys: true", "includeAPIKeys: false"));
        String text = file.toString();
        assertFalse(text.contains("ak-live-secret-21"));
        assertFalse(text.contains("ak-deleted-secret-22"));
        assertFalse(text.contains("api_key_key"));
        assertFalse(text.contains("api_key_id"));
        assertEquals(2, file.get("usage_requests").size());
        assertEquals(2, file.get("usage_logs").size());
    }

    @Test
    void shouldLeaveOutPayloadsWithoutRequestLogs() throws Exception {
        ObjectNode file = backup(ALL.replace("includeRequestLogs: true", "includeRequestLogs: false"));
        for (JsonNode request : file.get("usage_requests")) {
            for (String payload : List.of("request_headers", "request_body", "response_body", "response_chunks")) {
                assertFalse(request.has(payload), payload);
            }
        }
        assertEquals("gpt-4o", file.get("usage_requests").get(0).get("model_id").asText());
    }

    @Test
    void shouldUseDefaultsOfTheInput() throws Exception {
        ObjectNode file = backup("includeChannels: false, includeModels: false, includeAPIKeys: false");
        assertEquals(List.of("version", "timestamp", "projects", "channels", "models", "channel_model_prices",
                "usage_requests", "usage_logs"), keys(file));
        assertFalse(file.get("usage_requests").get(0).has("request_body"), "request logs default to off");
    }

    @Test
    void shouldBackUpAnEmptyDatabase() throws Exception {
        db.reset();
        ObjectNode file = backup(ALL);
        assertEquals(0, file.get("channels").size());
        assertEquals(0, file.get("models").size());
        assertEquals(0, file.get("usage_requests").size());
        assertEquals(0, file.get("usage_logs").size());
    }

    @Test
    void shouldReadOneSnapshotWhileTheGatewayWrites() throws Exception {
        db.execute("insert into requests (created_at, request_body, status) select now(), '{}', 'completed' "
                + "from generate_series(1, 3000)");
        db.execute("insert into usage_logs (request_id) select id from requests where id > 100000");
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger inserted = new AtomicInteger();
        Thread gateway = new Thread(() -> {
            while (!done.get()) {
                db.execute("with r as (insert into requests (request_body, status) values ('{}', 'completed') returning id) "
                        + "insert into usage_logs (request_id) select id from r");
                inserted.incrementAndGet();
            }
        });
        gateway.start();
        ObjectNode file;
        try {
            file = backup(ALL);
        } finally {
            done.set(true);
            gateway.join();
        }
        Set<Long> requests = new HashSet<>();
        file.get("usage_requests").forEach(r -> requests.add(r.get("id").asLong()));
        List<Long> orphans = new ArrayList<>();
        file.get("usage_logs").forEach(l -> {
            if (!requests.contains(l.get("request_id").asLong())) {
                orphans.add(l.get("request_id").asLong());
            }
        });
        assertTrue(inserted.get() > 0, "the gateway wrote during the backup");
        assertEquals(List.of(), orphans, "every usage log's request is in the file");
        assertEquals(file.get("usage_requests").size(), file.get("usage_logs").size());
    }

    @Test
    void shouldCutBatchesOfLargePayloadsByBytesAndLoseNoRow() throws Exception {
        // Bodies of 1 to 7 KB, over the tests' 2 KB batch byte limit: every batch is cut short.
        db.execute("insert into requests (created_at, request_body, status) select now(), "
                + "jsonb_build_object('n', i, 'text', repeat('x', 1000 * (1 + i % 7))), 'completed' "
                + "from generate_series(1, 120) i");
        ObjectNode file = backup(ALL);
        List<Integer> bodies = new ArrayList<>();
        file.get("usage_requests").forEach(r -> {
            if (r.path("request_body").has("n")) {
                assertEquals(1000 * (1 + r.at("/request_body/n").asInt() % 7), r.at("/request_body/text").asText().length());
                bodies.add(r.at("/request_body/n").asInt());
            }
        });
        assertEquals(java.util.stream.IntStream.rangeClosed(1, 120).boxed().toList(), bodies,
                "every large request once, in order, with its whole body");
    }

    @Test
    void shouldExportTheSameFileAsGraphQL() throws Exception {
        ObjectNode inline = backup(ALL);
        Response export = plainOwner().get("/api/backups/export?" + ALL_QUERY);
        assertEquals(200, export.statusCode());
        assertEquals("application/json", export.contentType());
        assertTrue(export.header("Content-Disposition")
                .matches("attachment; filename=\"axonhub-backup-\\d{4}-\\d\\d-\\d\\d_\\d\\d-\\d\\d-\\d\\d\\.json\""));
        ObjectNode streamed = (ObjectNode) JSON.readTree(export.asByteArray());
        inline.remove("timestamp");
        streamed.remove("timestamp");
        assertEquals(inline, streamed);
    }

    @Test
    void shouldGzipTheExportWhenAsked() throws Exception {
        ObjectNode plain = (ObjectNode) JSON.readTree(plainOwner().get("/api/backups/export?" + ALL_QUERY).asByteArray());
        plain.remove("timestamp");
        for (Response gz : List.of(
                plainOwner().get("/api/backups/export?compression=gzip&" + ALL_QUERY),
                plainOwner().header("Accept-Encoding", "gzip").get("/api/backups/export?" + ALL_QUERY))) {
            assertEquals(200, gz.statusCode());
            assertTrue(gz.header("Content-Disposition").endsWith(".json.gz\""));
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.asByteArray()))) {
                ObjectNode unzipped = (ObjectNode) JSON.readTree(in);
                unzipped.remove("timestamp");
                assertEquals(plain, unzipped);
            }
        }
    }

    @Test
    void shouldRejectExportWithoutRequiredOptions() {
        asOwner()
                .get("/api/backups/export?includeChannels=true&includeModels=true")
                .then().statusCode(400).body("error", org.hamcrest.Matchers.containsString("includeAPIKeys"));
        asOwner()
                .get("/api/backups/export?includeChannels=yes&includeModels=true&includeAPIKeys=false")
                .then().statusCode(400).body("error", org.hamcrest.Matchers.containsString("includeChannels"));
    }

    @Test
    void shouldRequireAnOwner() {
        given().get("/api/backups/export?" + ALL_QUERY).then().statusCode(401);
        given().header("Authorization", "Bearer " + TestTokens.member()).get("/api/backups/export?" + ALL_QUERY)
                .then().statusCode(403);
        given().contentType("application/json")
                .body(Map.of("query", "mutation { backup(input: {" + ALL + "}) { success } }"))
                .post("/graphql").then().statusCode(401);
        given().header("Authorization", "Bearer " + TestTokens.member()).contentType("application/json")
                .body(Map.of("query", "mutation { backup(input: {" + ALL + "}) { success data } }"))
                .post("/graphql").then().statusCode(403);
    }

    @Test
    void shouldCountBackupsInMetrics() throws Exception {
        backup(ALL);
        String metrics = given().get("/q/metrics").asString();
        String line = metrics.lines().filter(l -> l.startsWith("gateway_backup_backups_total{")
                && l.contains("outcome=\"success\"")).collect(Collectors.joining());
        assertTrue(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) >= 1, metrics);
        assertTrue(metrics.contains("gateway_backup_backup_rows_total{section=\"usage_logs\"}"));
    }

    @Test
    void shouldStopReadingWhenTheClientGoesAway() throws Exception {
        db.execute("insert into requests (created_at, request_body, status, model_id) select now(), '{}', 'completed', "
                + "repeat('m', 200) from generate_series(1, 40000)");
        double failuresBefore = failedBackups();
        java.net.HttpURLConnection connection = (java.net.HttpURLConnection) new java.net.URL(
                io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + "/api/backups/export?"
                        + ALL_QUERY).openConnection();
        connection.setRequestProperty("Authorization", "Bearer " + TestTokens.owner());
        try (java.io.InputStream in = connection.getInputStream()) {
            assertTrue(in.readNBytes(1000).length > 0);
        }
        connection.disconnect();
        long deadline = System.currentTimeMillis() + 10_000;
        while (failedBackups() <= failuresBefore && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(failedBackups() > failuresBefore, "the backup stopped when the client closed the connection");
    }

    static double failedBackups() {
        return given().get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith("gateway_backup_backups_total{") && l.contains("outcome=\"failure\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
