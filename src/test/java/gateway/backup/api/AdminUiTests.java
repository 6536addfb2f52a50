package gateway.backup.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gateway.backup.TestDatabase;
import gateway.backup.security.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every operation of the gateway's admin UI, sent exactly as its request helper sends it
 * (shared examples: POST /admin/graphql, Content-Type application/json, no Accept header, the
 * operation names and selections of its screens) and checked as the helper checks the answer:
 * status 2xx, a content type containing application/json, no errors.
 */
@QuarkusTest
class AdminUiTests {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SETTINGS_FIELDS = "enabled frequency dataStorageID includeChannels includeModels includeAPIKeys "
            + "includeModelPrices includeUsageStats retentionDays lastBackupAt lastBackupError";

    @Inject
    TestDatabase db;

    @BeforeEach
    void empty() {
        db.reset();
        db.runScript("/backup-dataset.sql");
    }

    /** The UI's graphqlRequest helper: fetch with these two headers only. */
    static JsonNode uiRequest(String operationName, String query, Map<String, Object> variables) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        body.put("operationName", operationName);
        Response response = given().noFilters().config(io.restassured.RestAssured.config()
                        .encoderConfig(io.restassured.config.EncoderConfig.encoderConfig()
                                .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .header("Authorization", "Bearer " + TestTokens.owner())
                .header("Content-Type", "application/json")
                .body(JSON.writeValueAsString(body))
                .post("/admin/graphql");
        assertEquals(200, response.statusCode(), response.asString());
        String type = response.contentType();
        assertTrue(type != null && type.contains("application/json"), operationName + " answered " + type);
        JsonNode answer = JSON.readTree(response.asString());
        assertTrue(answer.path("errors").isMissingNode(), operationName + ": " + answer);
        return answer.path("data");
    }

    /** A member (not an owner) pressing the backup button: 403, with a JSON body that says why. */
    @Test
    void shouldTellANonOwnerWhyInJson() throws Exception {
        Response response = given().noFilters()
                .header("Authorization", "Bearer " + TestTokens.member())
                .header("Content-Type", "application/json")
                .body("{\"query\":\"mutation Backup { backup(input: {includeChannels: true, includeModels: true, "
                        + "includeAPIKeys: false}) { success } }\",\"operationName\":\"Backup\"}")
                .post("/admin/graphql");
        assertEquals(403, response.statusCode());
        assertTrue(response.contentType().contains("application/json"), response.contentType());
        assertTrue(JSON.readTree(response.asString()).path("errors").path(0).path("message").asText().contains("'owner'"),
                response.asString());

        Response export = given().noFilters().header("Authorization", "Bearer " + TestTokens.member())
                .get("/api/backups/export?includeChannels=true&includeModels=true&includeAPIKeys=false");
        assertEquals(403, export.statusCode());
        assertTrue(JSON.readTree(export.asString()).path("error").asText().contains("'owner'"), export.asString());
    }

    @Test
    void shouldAnswerTheBackupButton() throws Exception {
        JsonNode data = uiRequest("Backup", "mutation Backup($input: BackupOptionsInput!) { backup(input: $input) "
                + "{ success data message } }", Map.of("input", Map.of("includeChannels", true, "includeModelPrices", true,
                        "includeModels", true, "includeAPIKeys", false, "includeUsageStats", true)));
        assertTrue(data.path("backup").path("success").asBoolean(), data.toString());
        JsonNode file = JSON.readTree(data.path("backup").path("data").asText());
        assertEquals("1.2", file.path("version").asText());
        assertTrue(file.path("usage_requests").size() > 0, "usage stats are in the file the UI saves");
    }

    @Test
    void shouldOpenSaveAndTriggerTheAutoBackupScreen() throws Exception {
        Path dir = Files.createTempDirectory("admin-ui-");
        long storage = Long.parseLong(db.column("insert into data_storages (name, type, settings) values ('ui-fs', 'fs', "
                + "'{\"directory\": \"" + dir + "\"}') returning id").get(0));

        JsonNode opened = uiRequest("AutoBackupSettings", "query AutoBackupSettings { autoBackupSettings { "
                + SETTINGS_FIELDS + " } }", Map.of()).path("autoBackupSettings");
        assertFalse(opened.path("enabled").asBoolean());
        assertEquals("daily", opened.path("frequency").asText());

        Map<String, Object> input = new LinkedHashMap<>();
        input.put("enabled", true);
        input.put("frequency", "weekly");
        input.put("dataStorageID", storage);
        input.put("includeChannels", true);
        input.put("includeModels", true);
        input.put("includeAPIKeys", false);
        input.put("includeModelPrices", true);
        input.put("includeUsageStats", true);
        input.put("retentionDays", 7);
        JsonNode saved = uiRequest("UpdateAutoBackupSettings", "mutation UpdateAutoBackupSettings("
                + "$input: UpdateAutoBackupSettingsInput!) { updateAutoBackupSettings(input: $input) }", Map.of("input", input));
        assertTrue(saved.path("updateAutoBackupSettings").asBoolean());

        JsonNode triggered = uiRequest("TriggerAutoBackup", "mutation TriggerAutoBackup { triggerAutoBackup { success message } }",
                Map.of()).path("triggerAutoBackup");
        assertTrue(triggered.path("success").asBoolean(), triggered.toString());

        // The UI reloads the settings after the toast; the run records its result there.
        JsonNode reloaded = null;
        for (int i = 0; i < 300; i++) {
            reloaded = uiRequest("AutoBackupSettings", "query AutoBackupSettings { autoBackupSettings { "
                    + SETTINGS_FIELDS + " } }", Map.of()).path("autoBackupSettings");
            if (!reloaded.path("lastBackupAt").isNull()) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals("weekly", reloaded.path("frequency").asText());
        assertEquals(7, reloaded.path("retentionDays").asInt());
        assertFalse(reloaded.path("lastBackupAt").isNull(), reloaded.toString());
        assertEquals("", reloaded.path("lastBackupError").asText(""), reloaded.toString());
        List<Path> files;
        try (var listing = Files.list(dir)) {
            // The manifest beside the backup (issue 13) belongs to it.
            files = listing.filter(f -> !f.getFileName().toString().endsWith(".manifest.json")).toList();
        }
        assertEquals(1, files.size(), files.toString());
        assertTrue(files.get(0).getFileName().toString().matches("axonhub-backup-\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}\\.json"),
                files.toString());
    }
}
