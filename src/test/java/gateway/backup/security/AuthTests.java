package gateway.backup.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthTests {

    private static final String WHOAMI = "{\"query\":\"{ whoami }\"}";

    private RequestSpecification graphql(String token) {
        RequestSpecification spec = given().contentType(ContentType.JSON).body(WHOAMI);
        return token == null ? spec : spec.header("Authorization", "Bearer " + token);
    }

    @Test
    void shouldRejectRequestWithoutToken() {
        graphql(null).post("/graphql").then().statusCode(401);
    }

    @Test
    void shouldRejectTokenWithBadSignature() {
        String forged = TestTokens.sign(TestTokens.ISSUER, Set.of(Roles.OWNER), Instant.now().plusSeconds(600),
                "another-secret-of-at-least-32-bytes-long!!");
        graphql(forged).post("/graphql").then().statusCode(401);
    }

    @Test
    void shouldRejectExpiredToken() {
        String expired = TestTokens.sign(TestTokens.ISSUER, Set.of(Roles.OWNER),
                Instant.now().minus(Duration.ofHours(1)), TestTokens.secret());
        graphql(expired).post("/graphql").then().statusCode(401);
    }

    @Test
    void shouldRejectTokenFromAnotherIssuer() {
        String foreign = TestTokens.sign("someone-else", Set.of(Roles.OWNER), Instant.now().plusSeconds(600),
                TestTokens.secret());
        graphql(foreign).post("/graphql").then().statusCode(401);
    }

    @Test
    void shouldForbidNonOwner() {
        // Refused by the HTTP policy before the body is read, at both GraphQL paths.
        graphql(TestTokens.member()).post("/graphql").then().statusCode(403);
        graphql(TestTokens.member()).post("/admin/graphql").then().statusCode(403);
    }

    @Test
    void shouldAllowOwnerAndExposeSubject() {
        graphql(TestTokens.owner()).post("/graphql").then()
                .statusCode(200)
                .body("data.whoami", equalTo("42"));
    }

    @Test
    void shouldRejectExportWithoutOwner() {
        given().get("/api/backups/export").then().statusCode(401);
        given().header("Authorization", "Bearer " + TestTokens.member()).get("/api/backups/export").then().statusCode(403);
    }

    @Test
    void shouldKeepHealthAndMetricsOpen() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void shouldExplainMissingOrShortSecretWithoutEchoingIt() {
        org.junit.jupiter.api.Assertions.assertTrue(JwtSecretCheck.problemWith("").contains("not set"));
        String shortSecret = "too-short-secret";
        String problem = JwtSecretCheck.problemWith(shortSecret);
        org.junit.jupiter.api.Assertions.assertTrue(problem.contains("16 bytes"));
        org.junit.jupiter.api.Assertions.assertFalse(problem.contains(shortSecret));
        org.junit.jupiter.api.Assertions.assertNull(JwtSecretCheck.problemWith("x".repeat(32)));
    }
}
