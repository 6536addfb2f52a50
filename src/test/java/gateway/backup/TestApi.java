package gateway.backup;

import static io.restassured.RestAssured.given;

import gateway.backup.security.TestTokens;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the tests send: requests with a token, the small backup fixture, an import, the admin UI's multipart restore. */
public final class TestApi {

    /** A version 1.2 backup file with two of each configuration kind, three requests and a deleted channel. */
    public static final String FIXTURE = "/fixtures/backup-v1.2-small.json";

    /** Import parameters: every section, every conflict strategy skip. */
    public static final String SKIP_ALL = "includeChannels=true&includeModels=true&includeAPIKeys=true"
            + "&channelConflictStrategy=skip&modelConflictStrategy=skip&modelPriceConflictStrategy=skip"
            + "&apiKeyConflictStrategy=skip";

    /** The restore mutation as the gateway's admin UI sends it, every strategy skip. */
    public static final String RESTORE_QUERY = "mutation Restore($file: Upload!, $input: RestoreOptionsInput!) "
            + "{ restore(file: $file, input: $input) "
            + "{ success message report { kinds { kind created updated skipped } warningCount warnings } } }";
    public static final String RESTORE_INPUT = "{\"includeChannels\":true,\"includeModelPrices\":true,\"includeModels\":true,"
            + "\"includeAPIKeys\":true,\"includeUsageStats\":true,\"channelConflictStrategy\":\"skip\","
            + "\"modelConflictStrategy\":\"skip\",\"modelPriceConflictStrategy\":\"skip\",\"apiKeyConflictStrategy\":\"skip\"}";
    /** The multipart {@code operations} part of that restore, its file variable null (the map points part "0" at it). */
    public static final String RESTORE_OPERATIONS = "{\"query\":\"" + RESTORE_QUERY.replace("\"", "\\\"")
            + "\",\"variables\":{\"file\":null,\"input\":" + RESTORE_INPUT + "}}";
    /** The multipart {@code map} part: part "0" is variables.file. */
    public static final String FILE_MAP = "{\"0\":[\"variables.file\"]}";

    private TestApi() {
    }

    public static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    public static RequestSpecification asOwner() {
        return as(TestTokens.owner());
    }

    /** A GraphQL multipart request's operations and map; the caller adds the file as part "0". */
    public static RequestSpecification multipart(RequestSpecification request, String operations) {
        return request.multiPart("operations", operations).multiPart("map", FILE_MAP);
    }

    /** The admin UI's restore of the fixture, as the owner; post it to /graphql or /admin/graphql. */
    public static RequestSpecification multipartRestoreOfFixture(String operations) {
        return multipart(asOwner(), operations).multiPart("0", fixtureFile(), "application/json");
    }

    /** {@code POST /api/backups/import?params} of {@code body}, as the owner. */
    public static Response importFile(byte[] body, String params) {
        return asOwner().contentType("application/json").body(body).post("/api/backups/import?" + params);
    }

    public static File fixtureFile() {
        return fixturePath().toFile();
    }

    public static Path fixturePath() {
        try {
            return Path.of(TestApi.class.getResource(FIXTURE).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] fixture() {
        try {
            return Files.readAllBytes(fixturePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
