package gateway.backup.restore;

import static gateway.backup.TestApi.asOwner;
import static gateway.backup.TestApi.importFile;
import static gateway.backup.TestApi.fixture;
import static gateway.backup.TestApi.SKIP_ALL;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.backup.TestDatabase;
import gateway.backup.security.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.DecoderConfig;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class RestoreTests {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String USAGE_SNAPSHOT = "select string_agg(format('%s|%s|%s|%s|%s|%s|%s|%s|%s', r.created_at, r.model_id, "
            + "p.name, c.name, k.key, l.prompt_tokens, l.completion_tokens, l.total_cost, l.cost_price_reference_id), "
            + "E'\\n' order by r.created_at, r.model_id) from requests r join projects p on p.id = r.project_id "
            + "left join channels c on c.id = r.channel_id left join api_keys k on k.id = r.api_key_id "
            + "left join usage_logs l on l.request_id = r.id";

    @Inject
    TestDatabase db;

    @BeforeEach
    void empty() {
        db.reset();
    }

    static ObjectNode fixtureJson() throws Exception {
        return (ObjectNode) JSON.readTree(fixture());
    }

    static JsonNode restoreOk(byte[] body, String params) throws Exception {
        Response response = importFile(body, params);
        assertEquals(200, response.statusCode(), response.asString());
        return JSON.readTree(response.asString());
    }

    static String withStrategy(String strategy, String value) {
        return SKIP_ALL.contains(strategy + "=") ? SKIP_ALL.replace(strategy + "=skip", strategy + "=" + value)
                : SKIP_ALL + "&" + strategy + "=" + value;
    }

    static long counted(JsonNode report, String kind, String what) {
        for (JsonNode counts : report.get("kinds")) {
            if (counts.get("kind").asText().equals(kind)) {
                return counts.get(what).asLong();
            }
        }
        return 0;
    }

    long idOf(String table, String name) {
        return Long.parseLong(db.column("select id from " + table + " where name = '" + name + "' and deleted_at = 0").get(0));
    }

    JsonNode jsonOf(String sql) throws Exception {
        return JSON.readTree(db.column(sql).get(0));
    }

    String everything() {
        return java.util.stream.Stream.of("select 'projects ' || string_agg(name || ':' || coalesce(profiles::text, ''), ',' order by name) from projects",
                "select 'channels ' || string_agg(name || ':' || base_url || ':' || status, ',' order by name) from channels",
                "select 'models ' || string_agg(developer || '/' || model_id || ':' || name, ',' order by model_id) from models",
                "select 'prices ' || string_agg(model_id || ':' || price::text, ',' order by model_id) from channel_model_prices",
                "select 'versions ' || count(*) || ':' || count(*) filter (where status = 'active') from channel_model_price_versions",
                "select 'keys ' || string_agg(key || ':' || name, ',' order by key) from api_keys",
                USAGE_SNAPSHOT).map(sql -> db.column(sql).toString()).collect(java.util.stream.Collectors.joining("\n"));
    }

    @Test
    void shouldRestoreTheFixtureAndRemapEveryChannelId() throws Exception {
        db.execute("insert into channels (type, name) values ('openai', 'Local A'), ('openai', 'Local B'), ('openai', 'Local C')");
        JsonNode report = restoreOk(fixture(), SKIP_ALL);

        long openAi = idOf("channels", "OpenAI Main");
        long claude = idOf("channels", "Claude");
        assertTrue(openAi != 11 && claude != 12, "new ids differ from the file's");
        assertEquals(5, db.count("channels"));
        assertEquals(2, db.count("models"));
        assertEquals(2, db.count("projects"));
        assertEquals(2, db.count("api_keys"));
        assertEquals(2, db.count("channel_model_prices"));
        assertEquals(List.of("active", "active"), db.column("select status from channel_model_price_versions"));
        assertEquals(3, db.count("requests"));
        assertEquals(3, db.count("usage_logs"));

        JsonNode gpt = jsonOf("select settings::text from models where model_id = 'gpt-4o'");
        assertEquals(openAi, gpt.at("/associations/0/channelModel/channelId").asLong());
        assertEquals(claude, gpt.at("/associations/1/regex/exclude/0/channelIds/0").asLong());
        JsonNode sonnet = jsonOf("select settings::text from models where model_id = 'claude-sonnet-4'");
        assertEquals(claude, sonnet.at("/associations/0/channelRegex/channelId").asLong());
        assertEquals(openAi, jsonOf("select profiles::text from projects where name = 'Research'")
                .at("/profiles/0/channelIDs/0").asLong());
        assertEquals(claude, jsonOf("select profiles::text from api_keys where key = 'ah-research-key-0001'")
                .at("/profiles/0/channelIDs/0").asLong());
        assertEquals(String.valueOf(idOf("projects", "Research")),
                db.column("select project_id from api_keys where key = 'ah-research-key-0001'").get(0));
        assertEquals(List.of(String.valueOf(openAi)),
                db.column("select channel_id from requests where model_id = 'gpt-4o' and channel_id is not null"));

        assertEquals(2, counted(report, "channels", "created"));
        assertEquals(3, counted(report, "usage_logs", "created"));
        String warnings = report.get("warnings").toString();
        assertTrue(warnings.contains("Deleted Channel"), warnings);
        assertTrue(report.get("warningCount").asLong() >= 1);
        assertFalse(warnings.contains("ah-") || warnings.contains("sk-"), "no secret in warnings: " + warnings);
    }

    @Test
    void shouldChangeNothingTheSecondTime() throws Exception {
        restoreOk(fixture(), SKIP_ALL);
        String before = everything();
        JsonNode report = restoreOk(fixture(), SKIP_ALL);
        assertEquals(before, everything());
        for (JsonNode counts : report.get("kinds")) {
            assertEquals(0, counts.get("created").asLong(), counts.toString());
        }
        assertFalse(report.get("warnings").toString().contains("restored without"),
                "a request found here already restores nothing, so it warns of nothing: " + report.get("warnings"));
    }

    /** The conflict strategy of each kind → the value the changed file has for one row of that kind. */
    static final Map<String, String> CHANGED_ROW = new LinkedHashMap<>();
    static {
        CHANGED_ROW.put("channelConflictStrategy", "select base_url from channels where name = 'OpenAI Main'");
        CHANGED_ROW.put("modelConflictStrategy", "select name from models where model_id = 'gpt-4o'");
        CHANGED_ROW.put("modelPriceConflictStrategy", "select price::text from channel_model_prices where model_id = 'gpt-4o'");
        CHANGED_ROW.put("projectConflictStrategy", "select description from projects where name = 'Research'");
        CHANGED_ROW.put("apiKeyConflictStrategy", "select name from api_keys where key = 'ah-research-key-0001'");
    }

    /** The fixture restored, and the fixture with one row of each kind changed. */
    byte[] restoredFixtureAndAChangedCopy() throws Exception {
        restoreOk(fixture(), SKIP_ALL);
        ObjectNode changed = fixtureJson();
        ((ObjectNode) changed.get("channels").get(0)).put("base_url", "https://changed.example");
        ((ObjectNode) changed.get("models").get(0)).put("name", "Changed model");
        ((ObjectNode) changed.get("channel_model_prices").get(0)).set("price", JSON.readTree("{\"items\": [\"changed\"]}"));
        ((ObjectNode) changed.get("projects").get(1)).put("description", "Changed project");
        ((ObjectNode) changed.get("api_keys").get(0)).put("name", "changed-key");
        return JSON.writeValueAsBytes(changed);
    }

    /** Import parameters with every conflict strategy set to {@code value}. */
    static String everyStrategy(String value) {
        return SKIP_ALL.replace("=skip", "=" + value) + "&projectConflictStrategy=" + value;
    }

    List<String> changedRows() {
        return CHANGED_ROW.values().stream().map(sql -> db.column(sql).get(0)).toList();
    }

    @Test
    void shouldKeepEveryExistingRowWithStrategySkip() throws Exception {
        byte[] file = restoredFixtureAndAChangedCopy();
        List<String> original = changedRows();

        JsonNode report = restoreOk(file, everyStrategy("skip"));

        assertEquals(original, changedRows());
        for (JsonNode counts : report.get("kinds")) {
            assertEquals(0, counts.get("updated").asLong(), counts.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"channelConflictStrategy", "modelConflictStrategy", "modelPriceConflictStrategy",
            "projectConflictStrategy", "apiKeyConflictStrategy"})
    void shouldRefuseAnExistingRowWithStrategyErrorAndWriteNothing(String strategy) throws Exception {
        byte[] file = restoredFixtureAndAChangedCopy();
        String before = everything();

        Response refused = importFile(file, withStrategy(strategy, "error"));

        assertEquals(400, refused.statusCode(), strategy);
        assertTrue(refused.asString().contains("already exists"), refused.asString());
        assertEquals(before, everything(), strategy + "=error writes nothing");
    }

    @Test
    void shouldReplaceEveryExistingRowWithStrategyOverwrite() throws Exception {
        byte[] file = restoredFixtureAndAChangedCopy();
        List<String> original = changedRows();

        JsonNode report = restoreOk(file, everyStrategy("overwrite"));

        List<String> now = changedRows();
        for (int i = 0; i < original.size(); i++) {
            assertFalse(original.get(i).equals(now.get(i)), "overwrite replaces " + now.get(i));
        }
        for (String kind : List.of("channels", "models", "channel_model_prices", "projects", "api_keys")) {
            assertTrue(counted(report, kind, "updated") >= 1, kind + ": " + report);
        }
        assertEquals(List.of("active", "archived"),
                db.column("select status from channel_model_price_versions v join channel_model_prices p "
                        + "on p.id = v.channel_model_price_id where p.model_id = 'gpt-4o' order by v.status, v.id"),
                "overwriting a price archives the active version and adds a new active one");
    }

    @Test
    void shouldReportWhatARealRestoreWouldDoAndWriteNothingOnADryRun() throws Exception {
        restoreOk(fixture(), SKIP_ALL);
        ObjectNode changed = fixtureJson();
        ((ObjectNode) changed.get("channels").get(0)).put("base_url", "https://changed.example");
        ((ObjectNode) changed.get("projects").get(0)).put("name", "A project only in the file");
        byte[] file = JSON.writeValueAsBytes(changed);
        String params = withStrategy("channelConflictStrategy", "overwrite");
        String before = everything();
        Map<String, Long> rowsBefore = db.rowCounts();

        JsonNode dry = restoreOk(file, params + "&dryRun=true");
        assertTrue(dry.get("dryRun").asBoolean(), dry.toString());
        assertEquals(before, everything(), "a dry run writes nothing");
        assertEquals(rowsBefore, db.rowCounts(), "every table keeps its rows");
        assertEquals(2, counted(dry, "channels", "updated"), "overwrite updates every channel of the file");
        assertEquals(1, counted(dry, "projects", "created"), dry.toString());

        JsonNode real = restoreOk(file, params);
        assertFalse(real.get("dryRun").asBoolean());
        assertEquals(dry.get("kinds"), real.get("kinds"), "the dry run reports exactly what the real run does");
        assertEquals(dry.get("warnings"), real.get("warnings"));
        assertEquals("https://changed.example", db.column("select base_url from channels where name = 'OpenAI Main'").get(0));
    }

    @Test
    void shouldRejectInvalidJsonAndWriteNothing() throws Exception {
        String text = new String(fixture());
        byte[] broken = text.substring(0, text.lastIndexOf("usage_logs") + 40).getBytes();
        Response response = importFile(broken, SKIP_ALL);
        assertEquals(400, response.statusCode());
        assertTrue(response.asString().contains("Invalid JSON in usage_logs[0] at line"), response.asString());
        assertEquals(0, db.count("channels"));
    }

    @Test
    void shouldNotEchoASecretInAnInvalidJsonError() throws Exception {
        // A key value that lost its quotes: the parser's own message would quote the whole token.
        byte[] broken = new String(fixture()).replaceFirst("\"ah-research-key-0001\"", "ahresearchsecret0001").getBytes();
        Response response = importFile(broken, SKIP_ALL);
        assertEquals(400, response.statusCode());
        String error = response.asString();
        assertTrue(error.contains("Invalid JSON in api_keys[0] at line 21"), error);
        assertFalse(error.contains("researchsecret"), "no part of the key value in the error: " + error);
        assertEquals(0, db.count("channels"));
    }

    @Test
    void shouldRejectAnUnsupportedVersion() throws Exception {
        ObjectNode file = fixtureJson().put("version", "2.0");
        Response response = importFile(JSON.writeValueAsBytes(file), SKIP_ALL);
        assertEquals(400, response.statusCode());
        assertTrue(response.asString().contains("Unsupported backup version \\\"2.0\\\"; supported versions are [1.0, 1.1, 1.2]"),
                response.asString());
        assertEquals(0, db.count("channels"));
    }

    @Test
    void shouldRejectAnUnknownEnumValueNamingWhere() throws Exception {
        ObjectNode file = fixtureJson();
        ((ObjectNode) file.get("usage_requests").get(2)).put("status", "exploded");
        Response response = importFile(JSON.writeValueAsBytes(file), SKIP_ALL);
        assertEquals(400, response.statusCode());
        assertTrue(response.asString().contains("usage_requests[2]: unknown status"), response.asString());
        assertEquals(0, db.count("requests"), "a bad element late in the file rolls back everything");
        assertEquals(0, db.count("channels"));
    }

    @Test
    void shouldRestoreAVersion10File() throws Exception {
        ObjectNode file = fixtureJson().put("version", "1.0");
        file.remove(List.of("projects", "usage_requests", "usage_logs"));
        db.execute("insert into projects (name) values ('Default'), ('Research')");
        JsonNode report = restoreOk(JSON.writeValueAsBytes(file), SKIP_ALL);
        assertEquals(2, db.count("channels"));
        assertEquals(2, db.count("api_keys"));
        assertEquals(0, db.count("requests"));
        assertEquals(2, counted(report, "models", "created"));
    }

    @Test
    void shouldRestoreSectionsInAnyOrder() throws Exception {
        restoreOk(fixture(), SKIP_ALL);
        String expected = everything();
        db.reset();
        ObjectNode original = fixtureJson();
        ObjectNode reversed = JSON.createObjectNode();
        List<String> keys = new ArrayList<>();
        original.fieldNames().forEachRemaining(keys::add);
        for (int i = keys.size() - 1; i >= 0; i--) {
            reversed.set(keys.get(i), original.get(keys.get(i)));
        }
        restoreOk(JSON.writeValueAsBytes(reversed), SKIP_ALL);
        assertEquals(expected, everything());
    }

    @Test
    void shouldRollBackEverythingOnAConflictInTheLastElement() throws Exception {
        db.execute("insert into projects (name) values ('Default'), ('Research')");
        db.execute("insert into api_keys (project_id, key, name) values (1, 'ah-default-key-0002', 'already here')");
        String before = everything();
        Response response = importFile(fixture(), SKIP_ALL.replace("apiKeyConflictStrategy=skip", "apiKeyConflictStrategy=error"));
        assertEquals(400, response.statusCode());
        assertFalse(response.asString().contains("ah-default-key-0002"), "no key value in the error");
        assertEquals(before, everything());
        assertEquals(0, db.count("channels"));
    }

    /** The fixture with {@code count} more requests like its first one, a second apart, each shaped by {@code shape}. */
    static ObjectNode fixtureWithMoreRequests(int count, java.util.function.ObjIntConsumer<ObjectNode> shape) throws Exception {
        ObjectNode file = fixtureJson();
        ArrayNode requests = (ArrayNode) file.get("usage_requests");
        ObjectNode template = (ObjectNode) requests.get(0);
        java.time.Instant start = java.time.Instant.parse("2026-06-01T00:00:00Z");
        for (int i = 0; i < count; i++) {
            ObjectNode request = template.deepCopy().put("id", 100_000 + i).put("created_at", start.plusSeconds(i).toString());
            shape.accept(request, i);
            requests.add(request);
        }
        return file;
    }

    @Test
    void shouldRestoreOneLogPerRequestWhateverTheOrderOfTheLogsAndGapsInTheIds() throws Exception {
        // Ids with gaps (more runs than the tests' 3 in memory: the rest of the map is in the table);
        // each request has two logs, the second far later in the file (other batches); some pairs swapped.
        ObjectNode file = fixtureWithMoreRequests(300, (request, i) -> request.put("id", 100_000 + i + i / 40 * 10));
        ArrayNode logs = (ArrayNode) file.get("usage_logs");
        ObjectNode template = (ObjectNode) logs.get(0);
        List<ObjectNode> added = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            added.add(template.deepCopy().put("request_id", 100_000 + i + i / 40 * 10).put("prompt_tokens", 10_000 + i));
        }
        for (int i = 0; i < 300; i += 25) {
            java.util.Collections.swap(added, i, i + 1);
        }
        for (int i = 0; i < 300; i++) {
            added.add(template.deepCopy().put("request_id", 100_000 + i + i / 40 * 10).put("prompt_tokens", 20_000 + i));
        }
        added.forEach(logs::add);
        byte[] body = JSON.writeValueAsBytes(file);
        JsonNode report = restoreOk(body, SKIP_ALL);
        assertEquals(303, db.count("usage_logs"), report.toString());
        assertEquals(List.of("0"), db.column("select count(*) from usage_logs where prompt_tokens >= 20000"),
                "the first log of each request in the file");
        assertEquals(List.of("0"), db.column("select count(*) from (select request_id from usage_logs group by 1 having count(*) > 1) t"));
        assertEquals(300, counted(report, "usage_logs", "skipped"));
        String before = everything();
        restoreOk(body, SKIP_ALL);
        assertEquals(before, everything(), "and a second time adds nothing");
    }

    /** A file of {@code count} requests (ids 100000 on, one second apart), each with one usage log. */
    static ObjectNode fixtureWithLoggedRequests(int count) throws Exception {
        ObjectNode file = fixtureWithMoreRequests(count, (request, i) -> request.put("external_id", "ext-" + i));
        ArrayNode logs = (ArrayNode) file.get("usage_logs");
        ObjectNode template = (ObjectNode) logs.get(0);
        for (int i = 0; i < count; i++) {
            logs.add(template.deepCopy().put("request_id", 100_000 + i).put("prompt_tokens", 10_000 + i));
        }
        return file;
    }

    @Test
    void shouldInsertOnlyTheMissingRequestsWhenBatchesHereAndMissingAlternate() throws Exception {
        // Batches of a few requests (the tests' 2 KiB): runs of missing and present requests make some batches
        // find none here in their time range (inserted straight away), some all, some a part (probed).
        byte[] body = JSON.writeValueAsBytes(fixtureWithLoggedRequests(500));
        restoreOk(body, SKIP_ALL);
        String restored = everything();
        // Kept: the first ten, two in the middle, ten later on; the others go.
        String gone = "external_id like 'ext-%' and not (substr(external_id, 5)::int < 10 "
                + "or substr(external_id, 5)::int in (200, 201) or substr(external_id, 5)::int between 350 and 359)";
        db.execute("delete from usage_logs where request_id in (select id from requests where " + gone + ")");
        db.execute("delete from requests where " + gone);
        assertEquals(3 + 22, db.count("requests"));
        String highest = db.column("select max(id) from requests").get(0);

        JsonNode report = restoreOk(body, SKIP_ALL);
        assertEquals(478, counted(report, "usage_requests", "created"), report.toString());
        assertEquals(25, counted(report, "usage_requests", "skipped"), report.toString());
        assertEquals(478, counted(report, "usage_logs", "created"), report.toString());
        assertEquals(restored, everything(), "every request and its log as the first restore left them");
        assertEquals(List.of("0"), db.column("select count(*) from (select request_id from usage_logs group by 1 having count(*) > 1) t"));
        assertEquals(db.column("select external_id from requests where id > " + highest + " order by created_at"),
                db.column("select external_id from requests where id > " + highest + " order by id"),
                "ids given in file order, also to batches inserted after one was probed");
    }

    @Test
    void shouldRollBackEverythingWhenPostgreSqlRefusesABatch() throws Exception {
        ObjectNode file = fixtureWithLoggedRequests(500);
        ((ObjectNode) file.get("usage_requests").get(3 + 260)).put("external_id", "refused");
        ((ObjectNode) file.get("usage_logs").get(3 + 400)).put("prompt_tokens", -7);
        byte[] body = JSON.writeValueAsBytes(file);
        for (String check : List.of("alter table requests add constraint refused check (external_id <> 'refused')",
                "alter table usage_logs add constraint refused check (prompt_tokens <> -7)")) {
            db.execute(check);
            try {
                Response response = importFile(body, SKIP_ALL);
                assertEquals(500, response.statusCode(), response.asString());
                assertTrue(response.asString().contains("rolled back"), response.asString());
                for (String table : List.of("channels", "projects", "api_keys", "requests", "usage_logs")) {
                    assertEquals(0, db.count(table), table + " is as before: " + check);
                }
            } finally {
                db.execute("alter table " + check.split(" ")[2] + " drop constraint refused");
            }
        }
        restoreOk(body, SKIP_ALL);
        assertEquals(503, db.count("requests"), "and the connections left are fine");
    }

    @Test
    void shouldRollBackEverythingWhenTheDatabaseConnectionIsLost() throws Exception {
        byte[] body = JSON.writeValueAsBytes(fixtureWithMoreRequests(50_000, (request, i) -> { }));
        var restore = java.util.concurrent.CompletableFuture.supplyAsync(() -> importFile(body, SKIP_ALL));

        // Once the restore is writing usage requests, end its database connection from outside.
        boolean cut = false;
        for (int i = 0; i < 3000 && !cut && !restore.isDone(); i++) {
            cut = !db.column("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() "
                    + "and application_name = 'vertx-pg-client' and backend_xid is not null "
                    + "and query like '%requests%'").isEmpty();
            Thread.sleep(10);
        }
        Response response = restore.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(cut, "the restore's connection was cut while it wrote: " + response.asString());
        assertEquals(500, response.statusCode(), response.asString());
        assertTrue(response.asString().contains("rolled back"), response.asString());
        for (String table : List.of("channels", "models", "projects", "api_keys", "channel_model_prices", "requests")) {
            assertEquals(0, db.count(table), table + " is as before");
        }
    }

    @Test
    void shouldRollBackTheBatchesAlreadyWrittenWhenALaterElementIsInvalid() throws Exception {
        // Ten batches of 50: the earlier ones are written before the bad element is read.
        ObjectNode file = fixtureWithMoreRequests(500, (request, i) -> {
            if (i == 480) {
                request.put("status", "exploded");
            }
        });
        Response response = importFile(JSON.writeValueAsBytes(file), SKIP_ALL);
        assertEquals(400, response.statusCode(), response.asString());
        assertTrue(response.asString().contains("usage_requests[483]: unknown status"), response.asString());
        for (String table : List.of("channels", "projects", "api_keys", "requests", "usage_logs")) {
            assertEquals(0, db.count(table), table + " is as before");
        }
    }

    @Test
    void shouldRestoreLargePayloadsInBatchesCutByBytes() throws Exception {
        // Bodies of 3 KB, over the tests' 2 KB batch byte limit.
        ObjectNode file = fixtureWithMoreRequests(60,
                (request, i) -> request.putObject("request_body").put("n", i).put("text", "y".repeat(3000)));
        restoreOk(JSON.writeValueAsBytes(file), SKIP_ALL);
        assertEquals(63, db.count("requests"));
        assertEquals(List.of("60"), db.column("select count(distinct request_body->>'n') from requests "
                + "where length(request_body->>'text') = 3000"));
    }

    @Test
    void shouldRestoreMissingReferencesAsDocumented() throws Exception {
        ObjectNode file = fixtureJson();
        ((ObjectNode) file.get("usage_requests").get(0)).put("project_name", "Nowhere");
        ((ObjectNode) file.get("usage_requests").get(1)).put("api_key_key", "ah-unknown-secret-9999");
        JsonNode report = restoreOk(JSON.writeValueAsBytes(file), SKIP_ALL);
        assertEquals(2, db.count("requests"), "a request whose project is missing is skipped");
        assertEquals(List.of(""), db.column("select coalesce(api_key_id::text, '') from requests "
                + "where model_id = 'claude-sonnet-4'"), "an unknown API key restores as null");
        assertEquals(1, db.column("select id from requests where channel_id is null").size(),
                "an unknown channel restores as null");
        String warnings = report.get("warnings").toString();
        assertTrue(warnings.contains("project \\\"Nowhere\\\" not found"), warnings);
        assertTrue(warnings.contains("API key (value withheld) was not found"), warnings);
        assertTrue(warnings.contains("channel \\\"Deleted Channel\\\" not found"), warnings);
        assertFalse(warnings.contains("ah-unknown-secret-9999"), warnings);
    }

    @Test
    void shouldRoundTripUsageThroughABackup() throws Exception {
        restoreOk(fixture(), SKIP_ALL);
        String before = db.column(USAGE_SNAPSHOT).get(0);
        byte[] backup = asOwner()
                .config(io.restassured.RestAssured.config().decoderConfig(DecoderConfig.decoderConfig().noContentDecoders()))
                .get("/api/backups/export?includeChannels=true&includeModels=true&includeAPIKeys=true&includeRequestLogs=true")
                .asByteArray();
        db.execute("delete from usage_logs; delete from requests");
        JsonNode report = restoreOk(backup, SKIP_ALL);
        assertEquals(before, db.column(USAGE_SNAPSHOT).get(0), "same tokens, costs, reference ids and links");
        assertEquals(3, counted(report, "usage_requests", "created"));
        restoreOk(backup, SKIP_ALL);
        assertEquals(3, db.count("requests"), "and a second time adds nothing");
        assertEquals(3, db.count("usage_logs"));
    }

    @Test
    void shouldAddNothingWhenAFileWithoutApiKeysIsRestoredAgain() throws Exception {
        restoreOk(fixture(), SKIP_ALL);
        byte[] withoutKeys = asOwner()
                .config(io.restassured.RestAssured.config().decoderConfig(DecoderConfig.decoderConfig().noContentDecoders()))
                .get("/api/backups/export?includeChannels=true&includeModels=true&includeAPIKeys=false")
                .asByteArray();
        assertFalse(new String(withoutKeys).contains("ah-research-key-0001"));
        String before = everything();
        restoreOk(withoutKeys, SKIP_ALL.replace("includeAPIKeys=true", "includeAPIKeys=false"));
        assertEquals(before, everything());
        db.execute("update channels set deleted_at = 1700000000 where name = 'Claude'");
        restoreOk(fixture(), SKIP_ALL.replace("includeChannels=true", "includeChannels=false"));
        assertEquals(3, db.count("requests"), "a channel deleted between two restores causes no duplicates");
    }

    @Test
    void shouldImportAGzipBody() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(fixture());
        }
        restoreOk(zipped.toByteArray(), SKIP_ALL);
        assertEquals(3, db.count("usage_logs"));
    }

    @Test
    void shouldRejectMissingOptionsAndNonOwners() throws Exception {
        Response missing = importFile(fixture(), "includeChannels=true&includeModels=true&includeAPIKeys=true");
        assertEquals(400, missing.statusCode());
        assertTrue(missing.asString().contains("channelConflictStrategy"));
        given().body(fixture()).post("/api/backups/import?" + SKIP_ALL).then().statusCode(401);
        given().header("Authorization", "Bearer " + TestTokens.member()).body(fixture())
                .post("/api/backups/import?" + SKIP_ALL).then().statusCode(403);
        assertEquals(0, db.count("channels"));
    }
}
