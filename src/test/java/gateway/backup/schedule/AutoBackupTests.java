package gateway.backup.schedule;

import static gateway.backup.TestApi.as;
import static gateway.backup.TestApi.asOwner;
import static io.restassured.RestAssured.given;
import static gateway.backup.TestApi.SKIP_ALL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.backup.security.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
public class AutoBackupTests extends AutoBackupTestBase {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SETTINGS_FIELDS = "enabled frequency dataStorageID includeChannels includeModels includeAPIKeys "
            + "includeModelPrices includeUsageStats includeRequestLogs retentionDays lastBackupAt lastBackupError";
    static final String STORAGE_SECRET = "storage-secret-Zq81xTt";

    static final List<Handler> CAPTURES = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        dir = startFresh("auto-backup-");
        // An extra key with a secret in it: it must never reach a log line or an error.
        storageId = storage("fs", "{\"directory\": \"" + dir + "\", \"token\": \"" + STORAGE_SECRET + "\"}", "active");
    }

    @AfterEach
    void tearDown() {
        clock.reset();
        awaitIdle();
        CAPTURES.forEach(Logger.getLogger("")::removeHandler);
        CAPTURES.clear();
    }

    // --- settings

    @Test
    void shouldAnswerTheDefaultsWhenNothingIsStored() throws Exception {
        JsonNode s = settings();
        assertFalse(s.get("enabled").asBoolean());
        assertEquals("daily", s.get("frequency").asText());
        assertEquals(0, s.get("dataStorageID").asInt());
        assertTrue(s.get("includeChannels").asBoolean() && s.get("includeModels").asBoolean()
                && s.get("includeModelPrices").asBoolean());
        assertFalse(s.get("includeAPIKeys").asBoolean() || s.get("includeUsageStats").asBoolean()
                || s.get("includeRequestLogs").asBoolean());
        assertEquals(30, s.get("retentionDays").asInt());
        assertTrue(s.get("lastBackupAt").isNull());
        assertTrue(s.get("lastBackupError").isNull());
    }

    @Test
    void shouldRefuseAMemberEveryAutoBackupOperation() throws Exception {
        for (String query : List.of("{ autoBackupSettings { enabled } }",
                "mutation { updateAutoBackupSettings(input: {retentionDays: 1}) }",
                "mutation { triggerAutoBackup { success message } }")) {
            // Refused by the HTTP policy before the body is read (issue 15), like every GraphQL call of a non-owner.
            as(TestTokens.member()).contentType("application/json")
                    .body(Map.of("query", query)).post("/admin/graphql").then().statusCode(403);
        }
        assertEquals(0, db.count("systems"));
        assertEquals(List.of(), backups());
    }

    @Test
    void shouldReadAnOlderValueWithoutUsageStatsOrRequestLogsAsOff() throws Exception {
        storeSettings("{\"enabled\":true,\"frequency\":\"weekly\",\"data_storage_id\":" + storageId
                + ",\"include_channels\":false,\"include_models\":true,\"include_api_keys\":true,"
                + "\"include_model_prices\":true,\"retention_days\":0,\"last_backup_at\":\"2026-03-01T02:00:05.5+08:00\","
                + "\"last_backup_error\":\"\"}");
        JsonNode s = settings();
        assertTrue(s.get("enabled").asBoolean());
        assertEquals("weekly", s.get("frequency").asText());
        assertEquals(storageId, s.get("dataStorageID").asLong());
        assertFalse(s.get("includeChannels").asBoolean());
        assertTrue(s.get("includeAPIKeys").asBoolean());
        assertFalse(s.get("includeUsageStats").asBoolean());
        assertFalse(s.get("includeRequestLogs").asBoolean());
        assertEquals(0, s.get("retentionDays").asInt());
        assertEquals(Instant.parse("2026-02-28T18:00:05.500Z"), Instant.parse(s.get("lastBackupAt").asText()));
        assertTrue(s.get("lastBackupError").isNull());
    }

    @Test
    void shouldKeepOtherFieldsAndUnknownKeysOnAPartialUpdate() throws Exception {
        storeSettings("{\"enabled\":false,\"frequency\":\"monthly\",\"data_storage_id\":" + storageId
                + ",\"include_api_keys\":true,\"retention_days\":9,\"last_backup_error\":\"disk full\","
                + "\"newer_gateway_field\":{\"keep\":[1,2]}}");
        assertTrue(update("{retentionDays: 3, includeUsageStats: true}").path("data").path("updateAutoBackupSettings").asBoolean());
        JsonNode s = settings();
        assertEquals(3, s.get("retentionDays").asInt());
        assertTrue(s.get("includeUsageStats").asBoolean());
        assertEquals("monthly", s.get("frequency").asText());
        assertTrue(s.get("includeAPIKeys").asBoolean());
        assertEquals(storageId, s.get("dataStorageID").asLong());
        assertFalse(s.get("enabled").asBoolean());
        assertEquals("disk full", s.get("lastBackupError").asText());
        JsonNode stored = storedSettings();
        assertEquals("{\"keep\":[1,2]}", stored.get("newer_gateway_field").toString());
        assertEquals(3, stored.get("retention_days").asInt());
        assertEquals(1, db.count("systems"));
    }

    @Test
    void shouldRefuseToEnableWithoutAnActiveFsOrS3StorageAndSaveNothing() throws Exception {
        long archived = storage("fs", "{\"directory\": \"" + dir + "\"}", "archived");
        long database = storage("database", "{}", "active");
        long deleted = storage("fs", "{\"directory\": \"" + dir + "\"}", "active");
        db.execute("update data_storages set deleted_at = 1700000000 where id = " + deleted);
        Map<String, String> cases = Map.of(
                "{enabled: true}", "no data storage is chosen",
                "{enabled: true, dataStorageID: 999}", "data storage 999 does not exist",
                "{enabled: true, dataStorageID: " + archived + "}", "is archived",
                "{enabled: true, dataStorageID: " + database + "}", "has type database",
                "{enabled: true, dataStorageID: " + deleted + "}", "does not exist");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            JsonNode answer = update(c.getKey());
            String message = answer.path("errors").get(0).path("message").asText();
            assertTrue(message.startsWith("Cannot enable auto-backup: ") && message.contains(c.getValue())
                    && message.contains("Nothing was saved"), c.getKey() + " -> " + answer);
            assertEquals(0, db.count("systems"), c.getKey());
        }
        // Disabled, a storage may be chosen freely; enabling later still checks it.
        assertTrue(update("{dataStorageID: " + archived + ", retentionDays: 4}").path("data").path("updateAutoBackupSettings").asBoolean());
        String before = storedSettings().toString();
        assertTrue(update("{enabled: true}").path("errors").get(0).path("message").asText().contains("is archived"));
        assertEquals(before, storedSettings().toString());
        assertTrue(update("{enabled: true, dataStorageID: " + storageId + "}").path("data").path("updateAutoBackupSettings").asBoolean());
        assertTrue(settings().get("enabled").asBoolean());
    }

    @Test
    void shouldRefuseANegativeRetentionAndSaveNothing() throws Exception {
        storeSettings("{\"retention_days\":9}");
        JsonNode answer = update("{retentionDays: -1, includeModels: false}");
        assertTrue(answer.path("errors").get(0).path("message").asText().contains("retentionDays must be 0"), answer.toString());
        assertEquals("{\"retention_days\":9}", storedSettings().toString());
    }

    // --- runs

    @Test
    void shouldWriteABackupThatRestoresWhenTriggered() throws Exception {
        enable("includeAPIKeys: true, includeUsageStats: true");
        List<String> logs = captureLogs();
        String before = snapshot();
        JsonNode answer = trigger();
        assertTrue(answer.get("success").asBoolean(), answer.toString());
        assertTrue(answer.get("message").asText().contains("started"), answer.toString());
        JsonNode s = awaitAttempt();
        assertTrue(s.get("lastBackupError").isNull(), s.toString());
        List<Path> files = backups();
        assertEquals(1, files.size());
        assertTrue(files.get(0).getFileName().toString().matches("axonhub-backup-\\d{4}-\\d\\d-\\d\\d_\\d\\d-\\d\\d-\\d\\d\\.json"));
        assertTrue(Files.readString(files.get(0)).contains("sk-upstream-openai-AAAA"), "the file has the channel's credentials");
        // fs keeps no checksum: the file is read back
        assertTrue(logs.stream().anyMatch(line -> line.startsWith("auto-backup: verified") && line.contains("read back")),
                logs.toString());
        assertNoSecretIn(logs);

        db.reset();
        asOwner().contentType("application/json")
                .body(Files.readAllBytes(files.get(0))).post("/api/backups/import?" + SKIP_ALL)
                .then().statusCode(200);
        assertEquals(before, snapshot());
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("gateway_backup_auto_backup_runs_total{outcome=\"success\"}"), "runs counter");
        assertTrue(metrics.contains("gateway_backup_auto_backup_bytes_total"), "bytes counter");
        assertTrue(metrics.contains("gateway_backup_auto_backup_duration_seconds_count{outcome=\"success\"}"), "timer");
    }

    @Test
    void shouldSayWhyWhenTriggeredWithoutAStorage() throws Exception {
        JsonNode answer = trigger();
        assertFalse(answer.get("success").asBoolean());
        assertTrue(answer.get("message").asText().contains("not set up: no data storage is chosen"), answer.toString());
        update("{dataStorageID: 999}");
        assertTrue(trigger().get("message").asText().contains("data storage 999 does not exist"));
        assertEquals(List.of(), backups());
        assertTrue(settings().get("lastBackupAt").isNull());
    }

    @Test
    void shouldAnswerTheTriggerBeforeTheRunEndsAndNotStartTwice() throws Exception {
        enable("includeUsageStats: true");
        try (Connection lock = lockUsageLogs()) {
            JsonNode answer = trigger();
            assertTrue(answer.get("success").asBoolean(), answer.toString());
            awaitTrue(() -> !tempFiles().isEmpty(), "the run to start writing");
            JsonNode again = trigger();
            assertFalse(again.get("success").asBoolean());
            assertTrue(again.get("message").asText().contains("already running"), again.toString());
            assertTrue(settings().get("lastBackupAt").isNull(), "the run has not ended yet");
            assertEquals(List.of(), backups());
            lock.rollback();
        }
        JsonNode s = awaitAttempt();
        assertTrue(s.get("lastBackupError").isNull(), s.toString());
        assertEquals(1, backups().size());
        assertEquals(List.of(), tempFiles());
    }

    @Test
    void shouldLeaveNothingAndRecordTheErrorWhenTheStorageFailsMidWrite() throws Exception {
        enable("includeUsageStats: true");
        List<String> logs = captureLogs();
        try (Connection lock = lockUsageLogs()) {
            assertTrue(trigger().get("success").asBoolean());
            awaitTrue(() -> !tempFiles().isEmpty(), "the run to start writing");
            // The volume goes away under the run.
            deleteRecursively(dir);
            lock.rollback();
        }
        JsonNode s = awaitAttempt();
        String error = s.get("lastBackupError").asText();
        assertTrue(error.contains("Cannot write axonhub-backup-") && error.contains("NoSuchFileException"), error);
        assertFalse(error.contains("\n") || error.contains(STORAGE_SECRET), error);
        assertFalse(Files.exists(dir) && Files.list(dir).findAny().isPresent(), "nothing left behind");
        assertNoSecretIn(logs);
    }

    @Test
    void shouldRecordTheErrorWhenTheDirectoryCannotBeWritten() throws Exception {
        Path file = Files.createFile(dir.resolve("not-a-directory"));
        long broken = storage("fs", "{\"directory\": \"" + file.resolve("backups") + "\"}", "active");
        enable("dataStorageID: " + broken);
        List<String> logs = captureLogs();
        assertTrue(trigger().get("success").asBoolean());
        JsonNode s = awaitAttempt();
        String error = s.get("lastBackupError").asText();
        assertTrue(error.startsWith("Cannot create axonhub-backup-") && error.contains("fs:" + file.resolve("backups"))
                && error.contains("FileSystemException"), error);
        assertTrue(logs.stream().anyMatch(line -> line.contains("auto-backup: failed after")), logs.toString());
        assertEquals(List.of(file), Files.list(dir).toList());
    }

    @Test
    void shouldCatchAShortStoredFileAndKeepOldBackups() throws Exception {
        enable("includeUsageStats: true, retentionDays: 1");
        Path old = Files.writeString(dir.resolve("axonhub-backup-2020-01-01_02-00-00.json"), "{}");
        try (Connection lock = lockUsageLogs()) {
            assertTrue(trigger().get("success").asBoolean());
            awaitTrue(() -> !tempFiles().isEmpty(), "the run to start writing");
            // The store loses what was written (as stores that keep 0-byte objects do): an empty file takes its place.
            Path temp = tempFiles().get(0);
            Files.delete(temp);
            Files.createFile(temp);
            lock.rollback();
        }
        JsonNode s = awaitAttempt();
        String error = s.get("lastBackupError").asText();
        assertTrue(error.contains("has 0 bytes but") && error.contains("removed it"), error);
        // Nothing of this run is left, and a failed run deletes no old backup.
        assertEquals(List.of(old), backups());
        assertEquals(List.of(), tempFiles());
    }

    @Test
    void shouldApplyRetentionToOldBackupsOfThePrefixOnly() throws Exception {
        enable("retentionDays: 7");
        List<String> kept = List.of("axonhub-backup-2026-11-20_02-00-00.json", "notes.txt",
                "other-2020-01-01_02-00-00.json", "axonhub-backup-latest.json");
        for (String name : kept) {
            Files.writeString(dir.resolve(name), "{}");
        }
        Files.writeString(dir.resolve("axonhub-backup-2026-11-01_02-00-00.json"), "{}");
        Files.writeString(dir.resolve("axonhub-backup-2026-11-19_01-00-00.json"), "{}");
        clock.standAt(Instant.parse("2026-11-26T02:00:00Z"));
        schedule.fireNow().await().atMost(Duration.ofSeconds(60));
        List<String> names = new ArrayList<>(kept);
        names.add("axonhub-backup-2026-11-26_02-00-00.json");
        names.add("axonhub-backup-2026-11-26_02-00-00.json.manifest.json");
        assertEquals(names.stream().sorted().toList(), Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList());
    }

    // --- schedule

    @Test
    void shouldRunMonthlyOnTheFirstByTheGatewaysTimezone() throws Exception {
        enable("frequency: monthly");
        // 2026-11-30T18:00Z: still November 30 at UTC, but December 1, 02:00 at Shanghai.
        clock.standAt(Instant.parse("2026-11-30T18:00:00Z"));
        schedule.fireNow().await().atMost(Duration.ofSeconds(60));
        assertEquals(List.of(), backups());
        assertTrue(settings().get("lastBackupAt").isNull());

        db.execute("insert into systems (key, value) values ('system_general_settings', '{\"timezone\": \"Asia/Shanghai\", \"site_name\": \"x\"}')");
        schedule.fireNow().await().atMost(Duration.ofSeconds(60));
        assertEquals(List.of(dir.resolve("axonhub-backup-2026-12-01_02-00-00.json")), backups());

        // Weekly: November 29 at UTC is a Sunday; at Shanghai 18:00Z on the 29th is Monday already.
        db.execute("truncate gateway_backup_runs");
        update("{frequency: weekly}");
        clock.standAt(Instant.parse("2026-11-29T18:00:00Z"));
        schedule.fireNow().await().atMost(Duration.ofSeconds(60));
        assertEquals(1, backups().size());
    }

    @Test
    void shouldMakeOneFileWhenTwoReplicasFireForTheSameSlot() throws Exception {
        enable("includeUsageStats: true");
        clock.standAt(Instant.parse("2026-11-26T02:00:00.120Z"));
        Uni<Void> first = schedule.fireNow();
        Uni<Void> second = schedule.fireNow();
        Uni.join().all(first, second).andFailFast().await().atMost(Duration.ofSeconds(60));
        // A replica whose clock fires a few seconds late claims the same slot.
        clock.standAt(Instant.parse("2026-11-26T02:00:04Z"));
        schedule.fireNow().await().atMost(Duration.ofSeconds(60));
        assertEquals(List.of(dir.resolve("axonhub-backup-2026-11-26_02-00-00.json")), backups());
        assertEquals(List.of("2026-11-26T02:00 UTC"), db.column("select slot from gateway_backup_runs"));
        // The next day is a new slot.
        clock.standAt(Instant.parse("2026-11-27T02:00:00Z"));
        schedule.fireNow().await().atMost(Duration.ofSeconds(60));
        assertEquals(2, backups().size());
    }

    @Test
    void shouldNotRunWhenDisabled() throws Exception {
        update("{dataStorageID: " + storageId + "}");
        schedule.fireNow().await().atMost(Duration.ofSeconds(60));
        assertEquals(List.of(), backups());
        assertEquals(0, db.count("gateway_backup_runs"));
    }

    @Test
    void shouldRescheduleWhenTheGatewaysTimezoneChanges() throws Exception {
        schedule.refresh().await().atMost(Duration.ofSeconds(10));
        assertEquals(2, schedule.nextFireTime().atZone(ZoneId.of("UTC")).getHour());
        db.execute("insert into systems (key, value) values ('system_general_settings', '{\"timezone\": \"Asia/Kolkata\"}')");
        // A settings update reschedules at once (otherwise the minute's re-check does).
        update("{retentionDays: 5}");
        Instant next = schedule.nextFireTime();
        assertEquals("02:00", next.atZone(ZoneId.of("Asia/Kolkata")).toLocalTime().toString());
        assertEquals(30, next.atZone(ZoneId.of("UTC")).getMinute());
        db.execute("update systems set value = '{\"timezone\": \"America/New_York\"}' where key = 'system_general_settings'");
        schedule.refresh().await().atMost(Duration.ofSeconds(10));
        assertEquals("02:00", schedule.nextFireTime().atZone(ZoneId.of("America/New_York")).toLocalTime().toString());
        db.execute("delete from systems where key = 'system_general_settings'");
        schedule.refresh().await().atMost(Duration.ofSeconds(10));
        assertEquals("02:00", schedule.nextFireTime().atZone(ZoneId.of("UTC")).toLocalTime().toString());
    }

    // --- shutdown

    @Test
    void shouldAbortARunningBackupOnShutdownAndRecordIt() throws Exception {
        enable("includeUsageStats: true");
        try (Connection lock = lockUsageLogs()) {
            assertTrue(trigger().get("success").asBoolean());
            awaitTrue(() -> !tempFiles().isEmpty(), "the run to start writing");
            long started = System.nanoTime();
            runner.stop(Duration.ofMillis(300));
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos());
            assertEquals(List.of(), Files.list(dir).toList());
            assertEquals(AutoBackupRunner.SHUT_DOWN, settings().get("lastBackupError").asText());
            lock.rollback();
        }
        awaitIdle();
        assertEquals(List.of(), Files.list(dir).toList());
        assertEquals(AutoBackupRunner.SHUT_DOWN, settings().get("lastBackupError").asText());
    }

    // --- helpers

    long storage(String type, String settings, String status) {
        return Long.parseLong(db.column("insert into data_storages (name, type, settings, status) values ('s-' || gen_random_uuid(), '"
                + type + "', '" + settings + "', '" + status + "') returning id").get(0));
    }

    void storeSettings(String json) {
        db.execute("insert into systems (key, value) values ('system_auto_backup_settings', '" + json + "')");
    }

    JsonNode storedSettings() throws Exception {
        return JSON.readTree(db.column("select value from systems where key = 'system_auto_backup_settings'").get(0));
    }

    static JsonNode graphql(String query, String token) throws Exception {
        String body = given().header("Authorization", "Bearer " + token).contentType("application/json")
                .body(Map.of("query", query)).post("/graphql").then().statusCode(200).extract().asString();
        return JSON.readTree(body);
    }

    static JsonNode settings() throws Exception {
        JsonNode answer = graphql("{ autoBackupSettings { " + SETTINGS_FIELDS + " } }", TestTokens.owner());
        assertTrue(answer.path("errors").isMissingNode(), answer.toString());
        return answer.path("data").path("autoBackupSettings");
    }

    /** The settings with extra fields (issue 13's) selected. */
    static JsonNode settingsWith(String fields) throws Exception {
        JsonNode answer = graphql("{ autoBackupSettings { " + SETTINGS_FIELDS + " " + fields + " } }", TestTokens.owner());
        assertTrue(answer.path("errors").isMissingNode(), answer.toString());
        return answer.path("data").path("autoBackupSettings");
    }

    static JsonNode update(String input) throws Exception {
        return graphql("mutation { updateAutoBackupSettings(input: " + input + ") }", TestTokens.owner());
    }

    static JsonNode trigger() throws Exception {
        JsonNode answer = graphql("mutation { triggerAutoBackup { success message } }", TestTokens.owner());
        assertTrue(answer.path("errors").isMissingNode(), answer.toString());
        return answer.path("data").path("triggerAutoBackup");
    }

    void enable(String fields) throws Exception {
        String storage = fields.contains("dataStorageID") ? "" : "dataStorageID: " + storageId + ", ";
        JsonNode answer = update("{enabled: true, " + storage + fields + "}");
        assertTrue(answer.path("data").path("updateAutoBackupSettings").asBoolean(), answer.toString());
    }

    /** Waits for the run to end and answers the settings with its result. */
    JsonNode awaitAttempt() throws Exception {
        awaitTrue(() -> !db.column("select value from systems where key = 'system_auto_backup_settings' "
                + "and value::jsonb ? 'last_backup_at'").isEmpty(), "last_backup_at");
        awaitIdle();
        return settings();
    }

    void awaitIdle() {
        awaitTrue(() -> !runner.isRunning(), "the run to end");
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Holds usage_logs locked, so a backup that includes usage stats waits mid-file until the lock is released. */
    Connection lockUsageLogs() throws Exception {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        c.createStatement().execute("lock table usage_logs in access exclusive mode");
        return c;
    }

    /** The backups in the storage directory; manifests belong to their backup and are not listed. */
    List<Path> backups() throws IOException {
        return list(name -> !name.startsWith(".tmp-") && !name.endsWith(".manifest.json"));
    }

    List<Path> tempFiles() {
        try {
            return list(name -> name.startsWith(".tmp-"));
        } catch (IOException e) {
            return List.of();
        }
    }

    List<Path> list(java.util.function.Predicate<String> names) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> names.test(p.getFileName().toString())).sorted().toList();
        }
    }

    /** Every usage, configuration and key row as text, to compare before a backup and after its restore. */
    String snapshot() {
        return Stream.of("select string_agg(name, ',' order by name) from projects where deleted_at = 0",
                "select string_agg(name || credentials::text, ',' order by name) from channels where deleted_at = 0",
                "select string_agg(model_id || name, ',' order by model_id) from models where deleted_at = 0",
                "select string_agg(key || name, ',' order by key) from api_keys where deleted_at = 0",
                "select string_agg(r.created_at || r.model_id || coalesce(k.key, '') || coalesce(l.total_tokens, 0), ',' "
                        + "order by r.created_at, r.model_id) from requests r left join api_keys k on k.id = r.api_key_id "
                        + "left join usage_logs l on l.request_id = r.id").map(sql -> db.column(sql).toString())
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    static void deleteRecursively(Path path) throws IOException {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Every log line from now on, formatted, with any exception's text. */
    static List<String> captureLogs() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
                lines.add(message + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        CAPTURES.add(capture);
        Logger.getLogger("").addHandler(capture);
        return lines;
    }

    /** {@link #captureLogs()} for tests of other packages. */
    public static List<String> captureLogsForOtherTests() {
        return captureLogs();
    }

    public static void stopCapturing() {
        CAPTURES.forEach(Logger.getLogger("")::removeHandler);
        CAPTURES.clear();
    }

    static void assertNoSecretIn(List<String> logs) {
        assertFalse(logs.isEmpty());
        for (String line : logs) {
            assertFalse(line.contains(STORAGE_SECRET) || line.contains("sk-upstream-openai"), line);
        }
    }
}
