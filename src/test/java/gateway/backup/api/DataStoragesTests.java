package gateway.backup.api;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.backup.TestDatabase;
import gateway.backup.storage.S3TestServer;
import gateway.backup.storage.WebDavTestServer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway's data storages, read-only with secrets masked, and the write/stat/read/delete probe. */
@QuarkusTest
class DataStoragesTests {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String QUERY = "{ dataStorages { id name type status primary settings } }";
    static final String GCS_PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC-secret\\n-----END PRIVATE KEY-----\\n";

    static S3TestServer s3;

    @Inject
    TestDatabase db;

    @BeforeAll
    static void startServer() {
        s3 = S3TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        s3.close();
    }

    @BeforeEach
    void empty() {
        db.reset();
    }

    @Test
    void shouldListLiveStoragesWithEverySecretMasked() throws Exception {
        ObjectNode s3Settings = s3.settings("team-a/");
        ((ObjectNode) s3Settings.get("s3")).put("sessionToken", "session-token-XYZ123456").put("apiKey", "custom-api-key-QWERTY");
        String webdav = "{\"webdav\": {\"url\": \"https://dav-user:dav-url-pass-77@dav.example/remote.php\", \"username\": \"backup\", "
                + "\"password\": \"" + WebDavTestServer.PASSWORD + "\", \"insecure_skip_tls\": false, \"path\": \"backups\"}}";
        String gcs = "{\"gcs\": {\"bucketName\": \"gb\", \"credential\": {\"type\": \"service_account\", \"private_key\": \""
                + GCS_PRIVATE_KEY + "\", \"client_email\": \"sa@p.iam.gserviceaccount.com\"}}}";
        db.execute("insert into data_storages (id, name, type, settings, \"primary\") values "
                + "(1, 'Primary', 'database', '{}', true), "
                + "(2, 'local', 'fs', '{\"directory\": \"/backups\"}', false), "
                + "(3, 's3', 's3', '" + s3Settings + "', false), "
                + "(4, 'dav', 'webdav', '" + webdav + "', false), "
                + "(5, 'gcs', 'gcs', '" + gcs.replace("'", "''") + "', false)");
        db.execute("insert into data_storages (id, name, type, settings, deleted_at) values (6, 'gone', 'fs', '{\"directory\": \"/old\"}', 1700000000)");

        String answer = GraphQLClient.post(QUERY).extract().asString();
        for (String secret : List.of(S3TestServer.SECRET_KEY, S3TestServer.ACCESS_KEY, WebDavTestServer.PASSWORD,
                "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "session-token-XYZ123456", "custom-api-key-QWERTY", "dav-url-pass-77")) {
            assertFalse(answer.contains(secret), "the answer contains a secret: " + answer);
        }
        JsonNode storages = JSON.readTree(answer).at("/data/dataStorages");
        assertEquals(5, storages.size(), "live rows only: " + storages);
        assertEquals("Primary", storages.get(0).get("name").asText());
        assertTrue(storages.get(0).get("primary").asBoolean());
        JsonNode s3Shown = JSON.readTree(storages.get(2).get("settings").asText()).get("s3");
        String accessKey = S3TestServer.ACCESS_KEY;
        assertEquals("********" + accessKey.substring(accessKey.length() - 4), s3Shown.get("accessKey").asText());
        assertEquals("********", s3Shown.get("secretKey").asText());
        assertEquals(s3.bucket(), s3Shown.get("bucketName").asText(), "what is no secret stays readable");
        assertEquals("team-a/", s3Shown.get("prefix").asText());
        JsonNode davShown = JSON.readTree(storages.get(3).get("settings").asText()).get("webdav");
        assertEquals("https://dav.example/remote.php", davShown.get("url").asText());
        assertEquals("backup", davShown.get("username").asText());
        assertEquals("********", davShown.get("password").asText());
        assertEquals("********", JSON.readTree(storages.get(4).get("settings").asText()).at("/gcs/credential").asText());
        assertEquals("{\"directory\":\"/backups\"}", storages.get(1).get("settings").asText());
    }

    @Test
    void shouldProbeAGoodFsAndS3Storage() throws Exception {
        Path directory = Files.createTempDirectory("probe");
        db.execute("insert into data_storages (id, name, type, settings) values (1, 'local', 'fs', '"
                + JSON.createObjectNode().put("directory", directory.toString()) + "'), (2, 's3', 's3', '" + s3.settings("probe/") + "')");
        for (int id : new int[] {1, 2}) {
            GraphQLClient.post("mutation { testDataStorage(id: " + id + ") { success message steps { name success latencyMs message } } }")
                    .body("data.testDataStorage.success", equalTo(true))
                    .body("data.testDataStorage.message", containsString("works"))
                    .body("data.testDataStorage.steps.name", equalTo(List.of("open", "write", "stat", "read", "delete")))
                    .body("data.testDataStorage.steps.success", equalTo(List.of(true, true, true, true, true)));
        }
        try (Stream<Path> left = Files.list(directory)) {
            assertEquals(List.of(), left.toList(), "the probe file is deleted");
        }
        assertEquals(0, s3.client().listObjectsV2(b -> b.bucket(s3.bucket()).prefix("probe/")).keyCount());
    }

    @Test
    void shouldReportABrokenStorageWithoutItsSecrets() throws Exception {
        Path aFile = Files.writeString(Files.createTempFile("not-a-directory", ".txt"), "x");
        db.execute("insert into data_storages (id, name, type, settings) values (1, 'local', 'fs', '"
                + JSON.createObjectNode().put("directory", aFile.resolve("backups").toString()) + "'), (2, 's3', 's3', '"
                + s3.settings("probe/") + "'), (3, 'db', 'database', '{}')");
        GraphQLClient.post("mutation { testDataStorage(id: 1) { success message steps { name success message } } }")
                .body("data.testDataStorage.success", equalTo(false))
                .body("data.testDataStorage.message", containsString("failed at write"))
                .body("data.testDataStorage.steps.name", equalTo(List.of("open", "write")));
        GraphQLClient.post("mutation { testDataStorage(id: 3) { success message } }")
                .body("data.testDataStorage.success", equalTo(false))
                .body("data.testDataStorage.message", containsString("keeps no files"));
        GraphQLClient.post("mutation { testDataStorage(id: 42) { success message } }")
                .body("data.testDataStorage.success", equalTo(false))
                .body("data.testDataStorage.message", containsString("No data storage 42"));
        s3.stop();
        try {
            String answer = GraphQLClient.post("mutation { testDataStorage(id: 2) { success message steps { name success message } } }")
                    .body("data.testDataStorage.success", equalTo(false))
                    .body("data.testDataStorage.message", containsString("failed at write"))
                    .extract().asString();
            assertFalse(answer.contains(S3TestServer.SECRET_KEY), answer);
            assertFalse(answer.contains(S3TestServer.ACCESS_KEY), answer);
        } finally {
            s3.restart();
        }
    }
}
