package gateway.backup.schedule;

import static gateway.backup.TestApi.SKIP_ALL;
import static gateway.backup.TestApi.asOwner;
import static gateway.backup.schedule.AutoBackupTests.captureLogs;
import static gateway.backup.schedule.AutoBackupTests.graphql;
import static gateway.backup.schedule.AutoBackupTests.settings;
import static gateway.backup.schedule.AutoBackupTests.trigger;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.backup.TestDatabase;
import gateway.backup.security.TestTokens;
import gateway.backup.storage.S3TestServer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.List;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Auto-backup runs to a real S3 server (S3Proxy on loopback), path-style, with a prefix. */
@QuarkusTest
class AutoBackupS3Tests {

    static final String PREFIX = "team/nightly/";
    static S3TestServer s3;

    @Inject
    TestDatabase db;

    @Inject
    AutoBackupRunner runner;

    @Inject
    AgroalDataSource dataSource;

    long storageId;

    @BeforeAll
    static void startS3() {
        s3 = S3TestServer.start();
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        awaitIdle();
        db.reset();
        db.runScript("/backup-dataset.sql");
        try (S3Client client = s3.client()) {
            for (S3Object o : client.listObjectsV2(r -> r.bucket(s3.bucket())).contents()) {
                client.deleteObject(r -> r.bucket(s3.bucket()).key(o.key()));
            }
        }
        storageId = Long.parseLong(db.column("insert into data_storages (name, type, settings) values ('s3-backups', 's3', '"
                + s3.settings(PREFIX) + "') returning id").get(0));
        JsonNode answer = graphql("mutation { updateAutoBackupSettings(input: {enabled: true, dataStorageID: " + storageId
                + ", includeAPIKeys: true, includeUsageStats: true}) }", TestTokens.owner());
        assertTrue(answer.path("data").path("updateAutoBackupSettings").asBoolean(), answer.toString());
    }

    @AfterEach
    void tearDown() {
        awaitIdle();
        AutoBackupTests.CAPTURES.forEach(Logger.getLogger("")::removeHandler);
        AutoBackupTests.CAPTURES.clear();
    }

    @Test
    void shouldWriteABackupUnderThePrefixThatRestores() throws Exception {
        List<String> logs = captureLogs();
        long requests = db.count("requests");
        assertTrue(trigger().get("success").asBoolean());
        JsonNode s = awaitAttempt();
        assertTrue(s.get("lastBackupError").isNull(), s.toString());
        List<String> keys = keys();
        assertEquals(2, keys.size(), keys.toString());
        assertTrue(keys.get(0).matches("team/nightly/axonhub-backup-\\d{4}-\\d\\d-\\d\\d_\\d\\d-\\d\\d-\\d\\d\\.json"), keys.toString());
        assertEquals(keys.get(0) + ".manifest.json", keys.get(1), "the manifest beside it");

        byte[] file;
        try (S3Client client = s3.client()) {
            file = client.getObject(r -> r.bucket(s3.bucket()).key(keys.get(0)), ResponseTransformer.toBytes()).asByteArray();
        }
        db.reset();
        asOwner().contentType("application/json").body(file)
                .post("/api/backups/import?" + SKIP_ALL).then().statusCode(200);
        assertEquals(requests, db.count("requests"));
        assertEquals(1, db.count("channels where name = 'OpenAI Main'"));
        // the ETag (the store's MD5) matched: no read-back
        assertTrue(logs.stream().anyMatch(line -> line.startsWith("auto-backup: verified")
                && line.contains("by the store's checksum")), logs.toString());
        for (String line : logs) {
            assertFalse(line.contains(S3TestServer.SECRET_KEY), line);
        }
    }

    @Test
    void shouldLeaveNoObjectAndRecordTheErrorWhenTheServerStopsMidWrite() throws Exception {
        List<String> logs = captureLogs();
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("lock table usage_logs in access exclusive mode");
            assertTrue(trigger().get("success").asBoolean());
            AutoBackupTests.awaitTrue(() -> logs.stream().anyMatch(line -> line.startsWith("auto-backup: started")), "the run");
            s3.stop();
            lock.rollback();
            JsonNode s = awaitAttempt();
            String error = s.get("lastBackupError").asText();
            assertFalse(error.isEmpty() || error.contains("\n") || error.contains(S3TestServer.SECRET_KEY), error);
        } finally {
            s3.restart();
        }
        assertEquals(List.of(), keys());
        for (String line : logs) {
            assertFalse(line.contains(S3TestServer.SECRET_KEY), line);
        }
    }

    List<String> keys() {
        try (S3Client client = s3.client()) {
            return client.listObjectsV2(r -> r.bucket(s3.bucket())).contents().stream().map(S3Object::key).toList();
        }
    }

    JsonNode awaitAttempt() throws Exception {
        AutoBackupTests.awaitTrue(() -> !db.column("select value from systems where key = 'system_auto_backup_settings' "
                + "and value::jsonb ? 'last_backup_at'").isEmpty(), "last_backup_at");
        awaitIdle();
        return settings();
    }

    void awaitIdle() {
        AutoBackupTests.awaitTrue(() -> !runner.isRunning(), "the run to end");
    }
}
