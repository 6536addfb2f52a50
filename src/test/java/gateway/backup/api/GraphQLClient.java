package gateway.backup.api;

import static io.restassured.RestAssured.given;

import gateway.backup.security.TestTokens;
import io.restassured.response.ValidatableResponse;
import java.util.Map;

/** Plain GraphQL requests as the gateway UI sends them (JSON, an owner token). */
final class GraphQLClient {

    private GraphQLClient() {
    }

    static ValidatableResponse post(String query) {
        return given().header("Authorization", "Bearer " + TestTokens.owner()).contentType("application/json")
                .body(Map.of("query", query)).post("/graphql").then().statusCode(200);
    }

    static ValidatableResponse post(String query, Map<String, Object> variables) {
        return given().header("Authorization", "Bearer " + TestTokens.owner()).contentType("application/json")
                .body(Map.of("query", query, "variables", variables)).post("/graphql").then().statusCode(200);
    }
}
