package gateway.backup.schedule;

import static gateway.backup.TestApi.SKIP_ALL;
import static gateway.backup.TestApi.asOwner;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.backup.crypto.AgeTool;
import gateway.backup.security.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 on auto-backups: age encryption to the settings' recipients, the manifest beside each
 * backup and the verify operations, incremental usage backups (late commits, chain restore, retention).
 */
@QuarkusTest
class SaferAutoBackupTests extends AutoBackupTestBase {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant DAY0 = Instant.parse("2026-11-20T02:00:00Z");

    @BeforeEach
    void setUp() throws IOException {
        dir = startFresh("safer-backup-");
        storageId = Long.parseLong(db.column("insert into data_storages (created_at, updated_at, name, type, settings, status) "
                + "values (now(), now(), 'pvc', 'fs', '{\"directory\": \"" + dir + "\"}', 'active') returning id").get(0));
    }

    @AfterEach
    void tearDown() {
        clock.reset();
        AutoBackupTests.stopCapturing();
    }

    // --- encryption

    @Test
    void shouldEncryptAnAutoBackupToTheSettingsRecipientsForTheAgeTool() throws Exception {
        AgeTool.KeyPair keys = AgeTool.keygen();
        List<String> logs = AutoBackupTests.captureLogs();
        enable("includeUsageStats: true, encryptionRecipients: [\"" + keys.publicKey() + "\"]");
        assertEquals(List.of(keys.publicKey()), list(AutoBackupTests.settingsWith("encryptionRecipients").get("encryptionRecipients")));
        runAt(DAY0);
        List<Path> files = backups();
        assertEquals(1, files.size(), files.toString());
        assertTrue(files.get(0).getFileName().toString().matches("axonhub-backup-2026-11-20_02-00-00\\.json\\.age"), files.toString());
        byte[] plain = AgeTool.decrypt(files.get(0), keys.identityFile());
        JsonNode backup = JSON.readTree(plain);
        assertEquals("OpenAI Main", backup.path("channels").get(0).path("name").asText(), "decrypts to the backup");
        assertFalse(Files.readString(files.get(0), java.nio.charset.StandardCharsets.ISO_8859_1).contains("sk-upstream-openai"));

        JsonNode manifest = manifest(files.get(0));
        assertEquals(sha256(files.get(0)), manifest.get("sha256").asText());
        assertEquals(crc32c(files.get(0)), manifest.get("crc32c").asText());
        assertEquals(Files.size(files.get(0)), manifest.get("bytes").asLong());
        assertEquals(List.of(keys.publicKey()), list(manifest.get("encryption_recipients")));
        assertEquals(2, manifest.path("rows").path("usage_requests").asLong());
        for (String line : logs) {
            assertFalse(line.contains(keys.secretKey()) || line.contains("AGE-SECRET-KEY"), line);
        }

        // This service has no identity file configured: restoring says so and writes nothing.
        db.reset();
        var answer = asOwner().body(Files.readAllBytes(files.get(0)))
                .post("/api/backups/import?" + SKIP_ALL).then().statusCode(400).extract().jsonPath();
        assertTrue(answer.getString("error").contains("no identity file is configured")
                && answer.getString("error").contains("GATEWAY_BACKUP_ENCRYPTION_IDENTITY_FILE"), answer.prettify());
        assertEquals(0, db.count("channels"));
    }

    @Test
    void shouldRefuseEncryptedExportsWithoutRecipientsAndBadRecipientKeys() throws Exception {
        var answer = asOwner().get("/api/backups/export?encrypt=true&includeChannels=true&includeModels=true&includeAPIKeys=false")
                .then().statusCode(400).extract().jsonPath();
        assertTrue(answer.getString("error").contains("GATEWAY_BACKUP_ENCRYPTION_RECIPIENTS"), answer.prettify());
        JsonNode update = AutoBackupTests.update("{encryptionRecipients: [\"age1notakey\"]}");
        assertTrue(update.path("errors").get(0).path("message").asText().contains("is not an age X25519 public key"), update.toString());
        assertEquals(0, db.count("systems"));
    }

    // --- manifest and verify

    @Test
    void shouldVerifyAStoredBackupAgainstItsManifestAndCatchACorruptedByte() throws Exception {
        enable("includeUsageStats: true, includeAPIKeys: true");
        runAt(DAY0);
        Path file = backups().get(0);
        JsonNode manifest = manifest(file);
        String rowsBefore = counts();

        // backupFiles lists the backup (not its manifest) with the manifest's counts beside it.
        JsonNode listed = AutoBackupTests.graphql("{ backupFiles(dataStorageID: " + storageId + ") { name size manifest } }",
                TestTokens.owner()).path("data").path("backupFiles");
        assertEquals(1, listed.size(), listed.toString());
        assertEquals(file.getFileName().toString(), listed.get(0).get("name").asText());
        JsonNode listedManifest = JSON.readTree(listed.get(0).get("manifest").asText());
        assertEquals(manifest.get("rows"), listedManifest.get("rows"));
        assertEquals(manifest.get("sha256"), listedManifest.get("sha256"));

        JsonNode report = verifyFile(file.getFileName().toString());
        assertTrue(report.get("valid").asBoolean(), report.toString());
        assertEquals("1.2", report.get("version").asText());
        assertEquals(manifest.get("sha256").asText(), report.get("sha256").asText());
        for (JsonNode section : report.get("sections")) {
            assertEquals(manifest.path("rows").path(section.get("kind").asText()).asLong(-1), section.get("rows").asLong(),
                    section.toString());
        }
        assertEquals(2, rows(report, "usage_logs"));
        assertEquals(0, report.get("usageLogsWithoutRequest").asLong());

        // One byte in the middle changes, still valid JSON (a digit becomes another digit).
        byte[] bytes = Files.readAllBytes(file);
        int middle = bytes.length / 2;
        while (bytes[middle] < '0' || bytes[middle] > '8') {
            middle++;
        }
        bytes[middle]++;
        Files.write(file, bytes);
        JsonNode corrupted = verifyFile(file.getFileName().toString());
        assertFalse(corrupted.get("valid").asBoolean(), corrupted.toString());
        assertFalse(corrupted.get("manifestMatches").asBoolean());
        assertTrue(corrupted.get("message").asText().contains("differs from its manifest"), corrupted.toString());
        assertEquals(rowsBefore, counts(), "verify writes nothing");

        // The HTTP endpoint reads a posted file the same way.
        JsonNode posted = JSON.readTree(asOwner().body(bytes)
                .post("/api/backups/verify").then().statusCode(200).extract().asString());
        assertTrue(posted.get("valid").asBoolean(), posted.toString());
        assertEquals(2, rows(posted, "usage_requests"));
        assertEquals(rowsBefore, counts(), "verify writes nothing");
    }

    @Test
    void shouldCountUsageLogsWhoseRequestIsMissingAndRefuseBrokenFiles() throws Exception {
        String file = "{\"version\":\"1.2\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"channels\":[],\"models\":[],"
                + "\"usage_requests\":[{\"id\":1}],\"usage_logs\":[{\"id\":1,\"request_id\":1},{\"id\":2,\"request_id\":7}]}";
        JsonNode report = JSON.readTree(asOwner().body(file)
                .post("/api/backups/verify").then().statusCode(200).extract().asString());
        assertTrue(report.get("valid").asBoolean(), report.toString());
        assertEquals(1, report.get("usageLogsWithoutRequest").asLong());
        JsonNode broken = JSON.readTree(asOwner()
                .body(file.substring(0, file.length() - 20)).post("/api/backups/verify").then().statusCode(200).extract().asString());
        assertFalse(broken.get("valid").asBoolean(), broken.toString());
        assertTrue(broken.get("message").asText().startsWith("Invalid JSON"), broken.toString());
        given().header("Authorization", "Bearer " + TestTokens.member()).body(file).post("/api/backups/verify")
                .then().statusCode(403);
    }

    @Test
    void shouldAllowOneVerifyPerRequestAndOwnersOnly() throws Exception {
        String verify = "verifyBackupFile(dataStorageID: " + storageId + ", name: \"x.json\") { valid }";
        var twice = asOwner().contentType("application/json")
                .body(Map.of("query", "{ a: " + verify + " b: " + verify + " }")).post("/graphql")
                .then().statusCode(400).extract().asString();
        assertTrue(twice.contains("at most one backup or restore (this one has 2)"), twice);
        given().header("Authorization", "Bearer " + TestTokens.member()).contentType("application/json")
                .body(Map.of("query", "{ " + verify + " }")).post("/admin/graphql").then().statusCode(403);
        JsonNode missing = AutoBackupTests.graphql("{ " + verify + " }", TestTokens.owner());
        assertTrue(missing.path("errors").get(0).path("message").asText().contains("There is no backup x.json"), missing.toString());
    }

    // --- incremental

    @Test
    void shouldPutALateCommitIntoTheNextIncremental() throws Exception {
        enable("includeUsageStats: true, mode: incremental, fullEveryDays: 7");
        long late;
        try (Connection open = dataSource.getConnection()) {
            // A gateway transaction takes its id before the backup and commits after it.
            open.setAutoCommit(false);
            late = insertRequest(open);
            long committed = insertRequest(null);
            assertTrue(committed > late);
            runAt(DAY0);
            open.commit();
        }
        List<Path> full = backups();
        assertEquals(1, full.size());
        assertFalse(requestIds(full.get(0)).contains(late), "the full backup could not see it");
        long after = insertRequest(null);
        runAt(DAY0.plus(Duration.ofHours(1)));
        List<Path> files = backups();
        assertEquals(2, files.size(), files.toString());
        Path incremental = files.get(1);
        assertTrue(incremental.getFileName().toString().endsWith(".incremental.json"), files.toString());
        List<Long> ids = requestIds(incremental);
        assertTrue(ids.contains(late) && ids.contains(after), ids + " should hold " + late + " and " + after);
        assertFalse(ids.contains(1001L), "rows of the full backup before the late one are not repeated");
        JsonNode manifest = manifest(incremental);
        assertEquals("incremental", manifest.get("mode").asText());
        assertEquals(full.get(0).getFileName().toString(), manifest.get("base").asText());
        JsonNode parsed = JSON.readTree(incremental.toFile());
        assertTrue(parsed.path("channels").size() > 0 && parsed.path("projects").size() > 0, "configuration in full");
    }

    @Test
    void shouldRestoreAChainOfAFullAndThreeIncrementalsToTheSameRowsAsOneFullBackup() throws Exception {
        enable("includeUsageStats: true, includeAPIKeys: true, mode: incremental, fullEveryDays: 7");
        runAt(DAY0);
        for (int i = 1; i <= 3; i++) {
            insertRequest(null);
            insertRequest(null);
            runAt(DAY0.plus(Duration.ofHours(i)));
        }
        List<Path> files = backups();
        assertEquals(4, files.size(), files.toString());
        assertEquals(3, files.stream().filter(f -> f.getFileName().toString().contains(".incremental.")).count());
        String before = AutoBackupTests_snapshot();
        byte[] fullAtTheEnd = asOwner()
                .get("/api/backups/export?compression=none&includeChannels=true&includeModels=true&includeAPIKeys=true")
                .then().statusCode(200).extract().asByteArray();

        db.reset();
        // Disaster recovery: the new gateway knows the storage again (as a new row).
        long storage = Long.parseLong(db.column("insert into data_storages (created_at, updated_at, name, type, settings, status) "
                + "values (now(), now(), 'pvc', 'fs', '{\"directory\": \"" + dir + "\"}', 'active') returning id").get(0));
        JsonNode answer = AutoBackupTests.graphql("mutation { restoreChainFromStorage(dataStorageID: " + storage
                + ", name: \"" + files.get(3).getFileName() + "\", input: {includeChannels: true, includeModels: true, "
                + "includeAPIKeys: true, channelConflictStrategy: error, modelConflictStrategy: error, "
                + "modelPriceConflictStrategy: error, apiKeyConflictStrategy: error}) { success message } }", TestTokens.owner());
        assertTrue(answer.path("data").path("restoreChainFromStorage").path("success").asBoolean(), answer.toString());
        String fromChain = AutoBackupTests_snapshot();

        db.reset();
        asOwner().body(fullAtTheEnd)
                .post("/api/backups/import?" + SKIP_ALL).then().statusCode(200);
        assertEquals(AutoBackupTests_snapshot(), fromChain);
        assertEquals(before, fromChain);
    }

    /** A request still running at the full backup and finished before the incremental is one row, as it ended. */
    @Test
    void shouldRestoreARequestThatChangedBetweenTwoBackupsOfAChainOnce() throws Exception {
        enable("includeUsageStats: true, mode: incremental, fullEveryDays: 7");
        long running = insertRequest(null);
        db.column("update requests set status = 'processing' where id = " + running + " returning id");
        runAt(DAY0);
        db.column("update requests set status = 'completed', metrics_latency_ms = 1234, updated_at = clock_timestamp() "
                + "where id = " + running + " returning id");
        runAt(DAY0.plus(Duration.ofHours(1)));
        List<Path> files = backups();
        assertEquals(2, files.size(), files.toString());
        assertTrue(requestIds(files.get(1)).contains(running), "the incremental brings the changed request again");
        String requests = db.column("select count(*) from requests").get(0);

        db.reset();
        long storage = Long.parseLong(db.column("insert into data_storages (created_at, updated_at, name, type, settings, status) "
                + "values (now(), now(), 'pvc', 'fs', '{\"directory\": \"" + dir + "\"}', 'active') returning id").get(0));
        String restoreChain = "mutation { restoreChainFromStorage(dataStorageID: " + storage
                + ", name: \"" + files.get(1).getFileName() + "\", input: {includeChannels: true, includeModels: true, "
                + "includeAPIKeys: false, channelConflictStrategy: skip, modelConflictStrategy: skip, "
                + "modelPriceConflictStrategy: skip, apiKeyConflictStrategy: skip}) { success message } }";
        for (int time = 1; time <= 2; time++) { // and a second time changes nothing
            JsonNode answer = AutoBackupTests.graphql(restoreChain, TestTokens.owner());
            assertTrue(answer.path("data").path("restoreChainFromStorage").path("success").asBoolean(), answer.toString());
            assertEquals(requests, db.column("select count(*) from requests").get(0), "no second row for the changed request");
            assertEquals(List.of("completed|1234"), db.column("select status || '|' || metrics_latency_ms from requests "
                    + "where client_ip = '10.0.0.9'"));
            assertEquals(requests, db.column("select count(*) from usage_logs").get(0));
        }
    }

    @Test
    void shouldKeepTheFullBackupThatAKeptIncrementalBuildsOn() throws Exception {
        enable("includeUsageStats: true, mode: incremental, fullEveryDays: 7, retentionDays: 1");
        runAt(DAY0);
        insertRequest(null);
        runAt(DAY0.plus(Duration.ofDays(1)));
        insertRequest(null);
        runAt(DAY0.plus(Duration.ofDays(3)));
        List<String> names = names();
        // The full backup is 3 days old (retention 1 day) but both incrementals build on it.
        assertEquals(List.of("axonhub-backup-2026-11-20_02-00-00.json", "axonhub-backup-2026-11-21_02-00-00.incremental.json",
                "axonhub-backup-2026-11-23_02-00-00.incremental.json"), names);
        // A new full backup starts a new chain; the old one then expires whole, manifests with it.
        runAt(DAY0.plus(Duration.ofDays(8)));
        assertEquals(List.of("axonhub-backup-2026-11-28_02-00-00.json"), names());
        try (Stream<Path> all = Files.list(dir)) {
            assertEquals(2, all.count(), "the backup and its manifest");
        }
    }

    // --- helpers

    void enable(String fields) throws Exception {
        JsonNode answer = AutoBackupTests.update("{enabled: true, dataStorageID: " + storageId + ", " + fields + "}");
        assertTrue(answer.path("data").path("updateAutoBackupSettings").asBoolean(), answer.toString());
    }

    void runAt(Instant at) throws Exception {
        clock.standAt(at);
        schedule.fireNow().await().atMost(Duration.ofSeconds(120));
        JsonNode s = AutoBackupTests.settings();
        assertTrue(s.get("lastBackupError").isNull(), s.toString());
    }

    List<Path> backups() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> !p.getFileName().toString().endsWith(".manifest.json")
                    && !p.getFileName().toString().startsWith(".tmp-")).sorted().toList();
        }
    }

    List<String> names() throws IOException {
        return backups().stream().map(p -> p.getFileName().toString()).toList();
    }

    static JsonNode manifest(Path backup) throws IOException {
        Path manifest = backup.resolveSibling(backup.getFileName() + ".manifest.json");
        assertTrue(Files.exists(manifest), "a manifest beside " + backup);
        return JSON.readTree(manifest.toFile());
    }

    JsonNode verifyFile(String name) throws Exception {
        JsonNode answer = AutoBackupTests.graphql("{ verifyBackupFile(dataStorageID: " + storageId + ", name: \"" + name
                + "\") { valid version sha256 message manifestMatches usageLogsWithoutRequest sections { kind rows } } }",
                TestTokens.owner());
        assertTrue(answer.path("errors").isMissingNode(), answer.toString());
        return answer.path("data").path("verifyBackupFile");
    }

    static long rows(JsonNode report, String kind) {
        for (JsonNode section : report.get("sections")) {
            if (section.get("kind").asText().equals(kind)) {
                return section.get("rows").asLong();
            }
        }
        return -1;
    }

    static List<String> list(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    static List<Long> requestIds(Path file) throws IOException {
        List<Long> ids = new ArrayList<>();
        JSON.readTree(file.toFile()).path("usage_requests").forEach(r -> ids.add(r.get("id").asLong()));
        return ids;
    }

    static String crc32c(Path file) throws IOException {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(Files.readAllBytes(file));
        return String.format("%08x", crc.getValue());
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** A request with its usage log, committed at once ({@code connection} null) or in that open transaction. */
    long insertRequest(Connection connection) throws Exception {
        String sql = "with r as (insert into requests (created_at, updated_at, project_id, source, model_id, format, "
                + "request_body, channel_id, status, stream, client_ip) values (clock_timestamp(), clock_timestamp(), 2, 'api', "
                + "'gpt-4o', 'openai/chat_completions', '{}', 11, 'completed', false, '10.0.0.9') returning id) "
                + "insert into usage_logs (created_at, updated_at, request_id, project_id, channel_id, model_id, prompt_tokens, "
                + "total_tokens, source, format, total_cost) select clock_timestamp(), clock_timestamp(), id, 2, 11, 'gpt-4o', 3, 3, "
                + "'api', 'openai/chat_completions', 0.1 from r returning request_id";
        if (connection == null) {
            return Long.parseLong(db.column(sql).get(0));
        }
        try (var result = connection.createStatement().executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    String counts() {
        return db.column("select (select count(*) from channels) || '/' || (select count(*) from models) || '/' "
                + "|| (select count(*) from projects) || '/' || (select count(*) from api_keys) || '/' "
                + "|| (select count(*) from requests) || '/' || (select count(*) from usage_logs)").toString();
    }

    /** Live configuration, keys and usage rows as text (AutoBackupTests' snapshot). */
    String AutoBackupTests_snapshot() {
        return Stream.of("select string_agg(name, ',' order by name) from projects where deleted_at = 0",
                "select string_agg(name || credentials::text, ',' order by name) from channels where deleted_at = 0",
                "select string_agg(model_id || name, ',' order by model_id) from models where deleted_at = 0",
                "select string_agg(key || name, ',' order by key) from api_keys where deleted_at = 0",
                "select count(*) || ':' || string_agg(r.created_at || r.model_id || coalesce(k.key, '') || coalesce(l.total_tokens, 0), ',' "
                        + "order by r.created_at, r.model_id) from requests r left join api_keys k on k.id = r.api_key_id "
                        + "left join usage_logs l on l.request_id = r.id").map(sql -> db.column(sql).toString())
                .reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
