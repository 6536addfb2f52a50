package gateway.backup.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.backup.TestDatabase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every GraphQL operation (read from the running schema, so new ones are covered without
 * touching this test) and every HTTP route the service registers, each tried with every kind
 * of bad token: none, expired, signed with another secret, {@code alg: none}, another issuer
 * (all 401), no {@code groups} claim and a token without {@code owner} (both 403). Only health
 * and metrics answer without a token.
 */
@QuarkusTest
class AuthMatrixTests {

    /** Each bad token and the status it must get. */
    static Map<String, Object[]> badTokens() {
        Instant inAnHour = Instant.now().plus(Duration.ofHours(1));
        Map<String, Object[]> tokens = new LinkedHashMap<>();
        tokens.put("no token", new Object[] {null, 401});
        tokens.put("expired", new Object[] {TestTokens.sign(TestTokens.ISSUER, Set.of(Roles.OWNER),
                Instant.now().minus(Duration.ofMinutes(10)), TestTokens.secret()), 401});
        tokens.put("another secret", new Object[] {TestTokens.sign(TestTokens.ISSUER, Set.of(Roles.OWNER), inAnHour,
                "another-secret-of-at-least-32-bytes-long!!"), 401});
        tokens.put("alg none", new Object[] {unsigned(), 401});
        tokens.put("wrong issuer", new Object[] {TestTokens.sign("someone-else", Set.of(Roles.OWNER), inAnHour,
                TestTokens.secret()), 401});
        tokens.put("groups missing", new Object[] {Jwt.issuer(TestTokens.ISSUER).subject("42").expiresAt(inAnHour)
                .signWithSecret(TestTokens.secret()), 403});
        tokens.put("not an owner", new Object[] {TestTokens.member(), 403});
        return tokens;
    }

    /** An owner token with its signature removed and {@code alg} set to none. */
    static String unsigned() {
        String[] parts = TestTokens.owner().split("\\.");
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return base64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
    }

    @Inject
    Router router;

    @Inject
    TestDatabase db;

    @TestHTTPResource("/")
    URL base;

    private static RequestSpecification as(String token) {
        RequestSpecification spec = given().redirects().follow(false);
        return token == null ? spec : spec.header("Authorization", "Bearer " + token);
    }

    /** Query, mutation and subscription fields of the schema the running service prints, as minimal operations. */
    private List<String> operations() {
        String schema = as(TestTokens.owner()).get("/graphql/schema.graphql").then().statusCode(200).extract().asString();
        List<String> operations = new ArrayList<>();
        String kind = null;
        for (String line : schema.split("\n")) {
            if (line.startsWith("type Query") || line.startsWith("type Mutation") || line.startsWith("type Subscription")) {
                kind = line.split(" ")[1].toLowerCase();
            } else if (line.startsWith("}")) {
                kind = null;
            } else if (kind != null && line.matches("  [A-Za-z_]\\w*\\s*[(:].*")) {
                operations.add(kind + " { " + line.trim().split("[(:\\s]")[0] + " }");
            }
        }
        return operations;
    }

    @Test
    void shouldRefuseEveryGraphQLOperationWithoutAValidOwnerToken() {
        List<String> operations = operations();
        assertTrue(operations.contains("mutation { restore }") && operations.contains("query { autoBackupSettings }"),
                "the schema lists the operations: " + operations);
        for (String operation : operations) {
            for (Map.Entry<String, Object[]> bad : badTokens().entrySet()) {
                for (String path : List.of("/graphql", "/admin/graphql")) {
                    Response response = as((String) bad.getValue()[0]).contentType("application/json")
                            .body(Map.of("query", operation)).post(path);
                    assertEquals(bad.getValue()[1], response.statusCode(), operation + " at " + path + " with " + bad.getKey());
                    assertFalse(response.asString().contains("\"data\""), "no data for " + bad.getKey());
                }
            }
            // The owner gets through (an answer, possibly a validation error for the bare operation).
            int owner = as(TestTokens.owner()).contentType("application/json").body(Map.of("query", operation))
                    .post("/graphql").statusCode();
            assertNotEquals(401, owner, operation);
            assertNotEquals(403, owner, operation);
        }
    }

    @Test
    void shouldRefuseAMultipartRestoreAndAGetQueryWithoutAValidOwnerToken() {
        for (Map.Entry<String, Object[]> bad : badTokens().entrySet()) {
            as((String) bad.getValue()[0]).multiPart("operations", "{\"query\":\"mutation { restore }\"}")
                    .multiPart("map", "{\"0\":[\"variables.file\"]}").multiPart("0", "f.json", new byte[10])
                    .post("/admin/graphql").then().statusCode((Integer) bad.getValue()[1]);
            as((String) bad.getValue()[0]).queryParam("query", "{ autoBackupSettings { enabled } }")
                    .get("/graphql").then().statusCode((Integer) bad.getValue()[1]);
        }
    }

    @Test
    void shouldRefuseAWebSocketSubscriptionWithoutAValidOwnerToken() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI uri = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/graphql");
        for (Map.Entry<String, Object[]> bad : badTokens().entrySet()) {
            WebSocket.Builder builder = client.newWebSocketBuilder().subprotocols("graphql-transport-ws");
            if (bad.getValue()[0] != null) {
                builder.header("Authorization", "Bearer " + bad.getValue()[0]);
            }
            try {
                builder.buildAsync(uri, new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS).abort();
                throw new AssertionError("a websocket was opened with " + bad.getKey());
            } catch (java.util.concurrent.ExecutionException | CompletionException e) {
                assertTrue(e.getCause() instanceof WebSocketHandshakeException, bad.getKey() + ": " + e.getCause());
                assertEquals(bad.getValue()[1], ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode(),
                        bad.getKey());
            }
        }
    }

    /** Every path the service routes (path parameters filled in), except the open ones. */
    private Set<String> routedPaths() {
        Set<String> paths = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            if (path != null && !route.isRegexPath()) {
                paths.add(path.replaceAll(":[A-Za-z]+", "1").replaceAll("\\*$", "x"));
            }
        }
        return paths;
    }

    static boolean open(String path) {
        return path.startsWith("/q/health") || path.startsWith("/q/metrics");
    }

    @Test
    void shouldRefuseEveryHttpRouteExceptHealthAndMetricsWithoutAValidOwnerToken() {
        long channels = db.count("channels");
        Set<String> paths = routedPaths();
        assertTrue(paths.containsAll(List.of("/api/backups/export", "/api/backups/import", "/graphql", "/admin/graphql")),
                "the router lists the routes: " + paths);
        paths.add("/api/backups/files/1/axonhub-backup-2026-01-01_00-00-00.json"); // under /api/* whether routed yet or not
        paths.add("/api/backups/verify");
        int checked = 0;
        for (String path : paths) {
            if (open(path)) {
                assertEquals(200, given().get(path).statusCode(), path + " is open");
                continue;
            }
            if (path.startsWith("/q/")) {
                continue; // other management paths (dev UI and the like) are not served in production
            }
            for (Map.Entry<String, Object[]> bad : badTokens().entrySet()) {
                for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
                    Response response = as((String) bad.getValue()[0]).body("{}").request(method, path);
                    assertEquals(bad.getValue()[1], response.statusCode(), method + " " + path + " with " + bad.getKey());
                }
            }
            checked++;
        }
        assertTrue(checked >= 4, "routes checked: " + paths);
        assertEquals(channels, db.count("channels"), "nothing was written");
    }

    @Test
    void shouldKeepHealthAndMetricsOpen() {
        for (String path : List.of("/q/health", "/q/health/live", "/q/health/ready", "/q/metrics")) {
            given().get(path).then().statusCode(200);
        }
    }
}
