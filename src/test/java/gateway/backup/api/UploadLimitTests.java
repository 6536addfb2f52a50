package gateway.backup.api;

import static gateway.backup.TestApi.asOwner;
import static gateway.backup.TestApi.multipart;
import static gateway.backup.TestApi.fixture;
import static gateway.backup.TestApi.fixtureFile;
import static gateway.backup.TestApi.RESTORE_OPERATIONS;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import gateway.backup.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Size limits: a file over the upload limit gets 413 with a message naming the limit and leaves
 * nothing behind; a backup over the inline limit points to the export endpoint instead.
 */
@QuarkusTest
@TestProfile(UploadLimitTests.SmallLimit.class)
class UploadLimitTests {

    public static class SmallLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway-backup.restore.max-upload-size", "2K", "gateway-backup.graphql.max-request-size", "4K",
                    "gateway-backup.backup.inline-max-size", "1K",
                    "gateway-backup.restore.upload-directory", "target/test-uploads-limit");
        }
    }

    @Inject
    TestDatabase db;

    @Test
    void shouldRefuseAMultipartUploadOverTheLimit() throws Exception {
        db.reset();
        multipart(asOwner(), RESTORE_OPERATIONS)
                .multiPart("0", fixtureFile(), "application/json")
                .post("/admin/graphql").then().statusCode(413)
                .body("errors[0].message", containsString("larger than the limit of 2048 bytes"));
        assertEquals(0, db.count("channels"));
        Path uploads = Path.of("target/test-uploads-limit");
        if (Files.exists(uploads)) {
            try (var files = Files.list(uploads)) {
                assertEquals(0, files.count(), "no upload left on disk");
            }
        }
    }

    @Test
    void shouldRefuseAnImportOverTheLimit() throws Exception {
        db.reset();
        asOwner()
                .body(fixture())
                .post("/api/backups/import?includeChannels=true&includeModels=true&includeAPIKeys=true"
                        + "&channelConflictStrategy=skip&modelConflictStrategy=skip&modelPriceConflictStrategy=skip"
                        + "&apiKeyConflictStrategy=skip")
                .then().statusCode(413).body("error", containsString("larger than the limit of 2048 bytes"));
        assertEquals(0, db.count("channels"));
    }

    @Test
    void shouldRefuseALargePlainGraphQLRequest() {
        asOwner().contentType("application/json")
                .body("{\"query\": \"{ whoami }\", \"padding\": \"" + "x".repeat(5000) + "\"}")
                .post("/graphql").then().statusCode(413)
                .body("errors[0].message", containsString("send files as a multipart request"));
    }

    @Test
    void shouldSendLargeBackupsToTheExportEndpoint() {
        db.reset();
        db.runScript("/backup-dataset.sql");
        asOwner().contentType("application/json")
                .body(Map.of("query", "mutation { backup(input: {includeChannels: true, includeModels: true, "
                        + "includeAPIKeys: true}) { success data message } }"))
                .post("/graphql").then().statusCode(200)
                .body("data.backup.success", org.hamcrest.Matchers.equalTo(false))
                .body("data.backup.data", org.hamcrest.Matchers.nullValue())
                .body("data.backup.message", containsString("GET /api/backups/export"));
    }
}
