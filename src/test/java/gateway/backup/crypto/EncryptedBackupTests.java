package gateway.backup.crypto;

import static gateway.backup.TestApi.SKIP_ALL;
import static gateway.backup.TestApi.asOwner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.backup.TestDatabase;
import gateway.backup.schedule.AutoBackupTests;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exports and restores with age: the service encrypts to GATEWAY_BACKUP_ENCRYPTION_RECIPIENTS and
 * decrypts with GATEWAY_BACKUP_ENCRYPTION_IDENTITY_FILE (a key pair made by age-keygen), checked
 * both ways against the age command-line tool.
 */
@QuarkusTest
@TestProfile(EncryptedBackupTests.WithKeys.class)
class EncryptedBackupTests {

    static final Path KEYS = Path.of("target/test-age");
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ALL = "compression=none&includeChannels=true&includeModels=true&includeAPIKeys=true&includeUsageStats=true";

    /** A key pair made once per build by age-keygen, in target/test-age; the service gets its public key and identity file. */
    public static class WithKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            AgeTool.KeyPair keys = keys();
            return Map.of("gateway-backup.encryption.recipients", keys.publicKey(),
                    "gateway-backup.encryption.identity-file", keys.identityFile().toAbsolutePath().toString());
        }
    }

    static synchronized AgeTool.KeyPair keys() {
        try {
            Path identity = KEYS.resolve("identity.txt");
            Path publicKey = KEYS.resolve("public.txt");
            if (!Files.exists(identity)) {
                Files.createDirectories(KEYS);
                AgeTool.KeyPair made = AgeTool.keygen();
                Files.move(made.identityFile(), identity);
                Files.writeString(publicKey, made.publicKey());
            }
            return new AgeTool.KeyPair(identity, Files.readString(publicKey).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Inject
    TestDatabase db;

    List<String> logs;

    @BeforeEach
    void setUp() {
        db.reset();
        db.runScript("/backup-dataset.sql");
        logs = AutoBackupTests.captureLogsForOtherTests();
    }

    @AfterEach
    void noIdentityInLogs() throws IOException {
        String secret = keys().secretKey();
        assertFalse(logs.isEmpty());
        for (String line : logs) {
            assertFalse(line.contains(secret) || line.contains("AGE-SECRET-KEY"), line);
        }
        AutoBackupTests.stopCapturing();
    }

    @Test
    void shouldEncryptAnExportThatTheAgeToolDecryptsToTheSameContent() throws Exception {
        Response encrypted = export(ALL + "&encrypt=true");
        assertTrue(encrypted.header("Content-Disposition").matches(".*axonhub-backup-[0-9_-]+\\.json\\.age\".*"),
                encrypted.header("Content-Disposition"));
        byte[] bytes = encrypted.asByteArray();
        assertTrue(new String(bytes, 0, 21, StandardCharsets.US_ASCII).equals("age-encryption.org/v1"));
        byte[] plain = AgeTool.decrypt(write(bytes), keys().identityFile());
        byte[] unencrypted = export(ALL).asByteArray();
        assertEquals(withoutTimestamp(unencrypted), withoutTimestamp(plain));
        assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains("sk-upstream-openai"), "no credential in clear");
    }

    @Test
    void shouldEncryptGzipThenAgeAndRestoreIt() throws Exception {
        Response encrypted = export(ALL.replace("compression=none", "compression=gzip") + "&encrypt=true");
        assertTrue(encrypted.header("Content-Disposition").contains(".json.gz.age"), encrypted.header("Content-Disposition"));
        byte[] gzip = AgeTool.decrypt(write(encrypted.asByteArray()), keys().identityFile());
        byte[] plain = new GZIPInputStream(new ByteArrayInputStream(gzip)).readAllBytes();
        assertEquals(withoutTimestamp(export(ALL).asByteArray()), withoutTimestamp(plain));

        String before = counts();
        db.reset();
        restore(encrypted.asByteArray()).then().statusCode(200);
        assertEquals(before, counts());
    }

    @Test
    void shouldRestoreAFileTheAgeToolEncrypted() throws Exception {
        Path plain = write(export(ALL).asByteArray());
        Path encrypted = AgeTool.encrypt(plain, keys().publicKey());
        String before = counts();
        db.reset();
        Response answer = restore(Files.readAllBytes(encrypted));
        answer.then().statusCode(200);
        assertEquals(before, counts());
        assertTrue(db.count("channels") > 0);
    }

    @Test
    void shouldRefuseAFileForAnotherIdentityAndWriteNothing() throws Exception {
        AgeTool.KeyPair other = AgeTool.keygen();
        Path encrypted = AgeTool.encrypt(write(export(ALL).asByteArray()), other.publicKey());
        db.reset();
        Response answer = restore(Files.readAllBytes(encrypted));
        answer.then().statusCode(400);
        String error = answer.jsonPath().getString("error");
        assertTrue(error.contains("no identity in the identity file") && error.contains("other recipients"), error);
        assertFalse(error.contains(other.secretKey()) || error.contains(keys().secretKey()), error);
        assertEquals(0, db.count("channels"));
        assertEquals(0, db.count("requests"));
    }

    @Test
    void shouldRefuseADamagedEncryptedFileAndWriteNothing() throws Exception {
        byte[] bytes = export(ALL + "&encrypt=true").asByteArray();
        bytes[bytes.length / 2] ^= 0x40;
        db.reset();
        Response answer = restore(bytes);
        answer.then().statusCode(400);
        assertTrue(answer.jsonPath().getString("error").contains("damaged"), answer.asString());
        assertEquals(0, db.count("channels"));
    }

    // --- helpers

    static Response export(String query) {
        return asOwner().get("/api/backups/export?" + query)
                .then().statusCode(200).extract().response();
    }

    static Response restore(byte[] body) {
        return asOwner().contentType("application/octet-stream")
                .body(body).post("/api/backups/import?" + SKIP_ALL).then().extract().response();
    }

    static Path write(byte[] bytes) throws IOException {
        Path file = Files.createTempFile("export-", ".bin");
        Files.write(file, bytes);
        return file;
    }

    /** The file's JSON with its timestamp (the moment of the export) left out. */
    static String withoutTimestamp(byte[] json) throws IOException {
        ObjectNode node = (ObjectNode) JSON.readTree(json);
        node.remove("timestamp");
        return node.toString();
    }

    String counts() {
        return db.column("select (select count(*) from channels where deleted_at = 0) || '/' || (select count(*) from models "
                + "where deleted_at = 0) || '/' || (select count(*) from api_keys where deleted_at = 0) || '/' "
                + "|| (select count(*) from requests) || '/' "
                + "|| (select count(*) from usage_logs)").toString();
    }
}
