package gateway.backup.api;

import static gateway.backup.TestApi.asOwner;

import io.restassured.response.ValidatableResponse;
import java.util.Map;

/** Plain GraphQL requests as the gateway UI sends them (JSON, an owner token). */
final class GraphQLClient {

    private GraphQLClient() {
    }

    static ValidatableResponse post(String query) {
        return asOwner().contentType("application/json")
                .body(Map.of("query", query)).post("/graphql").then().statusCode(200);
    }

    static ValidatableResponse post(String query, Map<String, Object> variables) {
        return asOwner().contentType("application/json")
                .body(Map.of("query", query, "variables", variables)).post("/graphql").then().statusCode(200);
    }
}
