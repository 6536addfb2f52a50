package gateway.backup.api;

import static gateway.backup.TestApi.as;
import static gateway.backup.TestApi.asOwner;
import static gateway.backup.TestApi.multipart;
import static gateway.backup.TestApi.fixtureFile;
import static gateway.backup.TestApi.RESTORE_OPERATIONS;
import static gateway.backup.TestApi.RESTORE_QUERY;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.backup.TestDatabase;
import gateway.backup.security.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The restore mutation called exactly as the gateway's admin UI calls it: a GraphQL multipart request. */
@QuarkusTest
class MultipartRestoreTests {

    @Inject
    TestDatabase db;

    @TestHTTPResource("/")
    URL base;

    @ConfigProperty(name = "gateway-backup.restore.upload-directory", defaultValue = "none")
    String uploadDirectory;

    @BeforeEach
    void empty() {
        db.reset();
    }

    @Test
    void shouldRestoreAMultipartUploadAtBothPaths() throws Exception {
        for (String path : new String[] {"/admin/graphql", "/graphql"}) {
            db.reset();
            multipart(asOwner(), RESTORE_OPERATIONS)
                    .multiPart("0", fixtureFile(), "application/json")
                    .post(path).then().statusCode(200)
                    .body("data.restore.success", equalTo(true))
                    .body("data.restore.message", containsString("Restore completed"))
                    .body("data.restore.report.kinds.find { it.kind == 'usage_requests' }.created", equalTo(3))
                    .body("data.restore.report.warningCount", equalTo(1));
            assertEquals(3, db.count("usage_logs"), path);
        }
        try (var files = Files.list(Path.of(uploadDirectory))) {
            assertEquals(0, files.count(), "uploads are deleted when the request ends");
        }
    }

    @Test
    void shouldRollBackADryRunAndSayItWasOne() throws Exception {
        String operations = RESTORE_OPERATIONS.replace("report {", "report { dryRun").replace("\"apiKeyConflictStrategy\":\"skip\"}",
                "\"apiKeyConflictStrategy\":\"skip\",\"dryRun\":true}");
        multipart(asOwner(), operations)
                .multiPart("0", fixtureFile(), "application/json")
                .post("/admin/graphql").then().statusCode(200)
                .body("data.restore.success", equalTo(true))
                .body("data.restore.message", containsString("Dry run, nothing written"))
                .body("data.restore.report.dryRun", equalTo(true))
                .body("data.restore.report.kinds.find { it.kind == 'usage_requests' }.created", equalTo(3));
        assertEquals(0, db.count("requests"));
        assertEquals(0, db.count("channels"));
    }

    @Test
    void shouldWorkWithTheAdminUiExampleScript() throws Exception {
        Path script = Path.of("scripts/restore-multipart.sh"); // the copy README gives users
        ProcessBuilder withToken = new ProcessBuilder("bash", script.toString(), fixtureFile().getPath(),
                base.toString().replaceAll("/$", "")).redirectErrorStream(true);
        withToken.environment().put("TOKEN", TestTokens.owner());
        Process run = withToken.start();
        assertTrue(run.waitFor(60, TimeUnit.SECONDS));
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, run.exitValue(), output);
        assertTrue(output.contains("\"success\":true"), output);
        assertEquals(3, db.count("requests"));
    }

    @Test
    void shouldAnswerBadInputInThePayload() throws Exception {
        Path broken = Files.createTempFile("broken", ".json");
        Files.writeString(broken, "{\"version\": \"9.9\"}");
        multipart(asOwner(), RESTORE_OPERATIONS)
                .multiPart("0", broken.toFile(), "application/json")
                .post("/graphql").then().statusCode(200)
                .body("data.restore.success", equalTo(false))
                .body("data.restore.message", containsString("Unsupported backup version \"9.9\""));
        Files.delete(broken);
    }

    @Test
    void shouldRejectMalformedMultipartRequests() throws Exception {
        multipart(asOwner(), "not json")
                .multiPart("0", fixtureFile(), "application/json")
                .post("/graphql").then().statusCode(400).body("errors[0].message", containsString("operations and map"));
        asOwner()
                .multiPart("operations", RESTORE_OPERATIONS).multiPart("map", "{\"1\":[\"variables.file\"]}")
                .multiPart("0", fixtureFile(), "application/json")
                .post("/graphql").then().statusCode(400).body("errors[0].message", containsString("no such file"));
        asOwner()
                .multiPart("operations", RESTORE_OPERATIONS).multiPart("map", "{\"0\":[\"query\"]}")
                .multiPart("0", fixtureFile(), "application/json")
                .post("/graphql").then().statusCode(400).body("errors[0].message", containsString("must point at variables"));
        asOwner()
                .multiPart("map", "{\"0\":[\"variables.file\"]}").multiPart("0", fixtureFile(), "application/json")
                .post("/graphql").then().statusCode(400).body("errors[0].message", containsString("operations part is missing"));
        assertEquals(0, db.count("channels"));
    }

    @Test
    void shouldNotAcceptAFilePathAsUpload() {
        asOwner().contentType("application/json")
                .body(Map.of("query", RESTORE_QUERY, "variables", Map.of("file", "/etc/passwd", "input", Map.of(
                        "includeChannels", true, "includeModels", true, "includeAPIKeys", true,
                        "channelConflictStrategy", "skip", "modelConflictStrategy", "skip",
                        "modelPriceConflictStrategy", "skip", "apiKeyConflictStrategy", "skip"))))
                .post("/graphql").then().statusCode(200)
                .body("data.restore.success", equalTo(false))
                .body("data.restore.message", containsString("No uploaded file"));
    }

    @Test
    void shouldRequireAnOwner() throws Exception {
        given().multiPart("operations", RESTORE_OPERATIONS).multiPart("map", "{\"0\":[\"variables.file\"]}")
                .multiPart("0", fixtureFile(), "application/json").post("/admin/graphql").then().statusCode(401);
        as(TestTokens.member())
                .multiPart("operations", RESTORE_OPERATIONS).multiPart("map", "{\"0\":[\"variables.file\"]}")
                .multiPart("0", fixtureFile(), "application/json")
                .post("/graphql").then().statusCode(403);
        assertEquals(0, db.count("channels"));
    }

    @Test
    void shouldServePlainGraphQLAtTheAdminPathToo() {
        asOwner().contentType("application/json")
                .body(Map.of("query", "{ whoami }")).post("/admin/graphql").then().statusCode(200)
                .body("data.whoami", equalTo("42"));
    }
}
