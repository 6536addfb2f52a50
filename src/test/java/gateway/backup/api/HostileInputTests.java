package gateway.backup.api;

import static gateway.backup.Eventually.waitFor;
import static gateway.backup.TestApi.asOwner;
import static gateway.backup.TestApi.as;
import static gateway.backup.TestApi.multipart;
import static gateway.backup.TestApi.fixture;
import static gateway.backup.TestApi.fixtureFile;
import static gateway.backup.TestApi.RESTORE_OPERATIONS;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import static gateway.backup.Eventually.waitFor;

import gateway.backup.TestDatabase;
import gateway.backup.security.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a token holder who means harm can send: every path that takes a body refuses a non-owner
 * before reading it, and every size an attacker controls (GraphQL documents, uploads, decompressed
 * files, one element of a file, the spool directory, idle connections) has a limit answered with
 * a clear error. The limits are small here so that each test takes a moment.
 */
@QuarkusTest
@TestProfile(HostileInputTests.SmallLimits.class)
class HostileInputTests {

    static final String SPOOL = "target/test-uploads-hostile";

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("gateway-backup.restore.upload-directory", SPOOL),
                    Map.entry("gateway-backup.restore.max-upload-size", "512K"),
                    Map.entry("gateway-backup.restore.spool-max-size", "256K"),
                    Map.entry("gateway-backup.restore.max-decompressed-size", "64K"),
                    Map.entry("gateway-backup.restore.max-element-size", "32K"),
                    Map.entry("gateway-backup.restore.max-element-values", "2000"),
                    Map.entry("gateway-backup.restore.max-nesting-depth", "50"),
                    Map.entry("gateway-backup.graphql.max-fields", "50"),
                    Map.entry("gateway-backup.graphql.max-depth", "5"),
                    Map.entry("gateway-backup.http.idle-timeout", "2s"));
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final String BACKUP_INPUT = "{includeChannels: true, includeModels: true, includeAPIKeys: false}";

    @Inject
    TestDatabase db;

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void empty() {
        db.reset();
    }

    /** Files in the spool directory now (a snapshot: files may come and go while it is listed). */
    private static long spooledFiles() {
        java.io.File[] files = new java.io.File(SPOOL).listFiles(java.io.File::isFile);
        return files == null ? 0 : files.length;
    }

    // --- Owner before any body

    @Test
    void shouldRefuseANonOwnersBodyBeforeReadingIt() throws Exception {
        byte[] large = new byte[400 * 1024];
        multipart(as(TestTokens.member()), RESTORE_OPERATIONS).multiPart("0", "f.json", large, "application/json")
                .post("/admin/graphql").then().statusCode(403);
        as(TestTokens.member()).contentType("multipart/form-data-x; boundary=xyz")
                .body(("--xyz\r\nContent-Disposition: form-data; name=\"0\"; filename=\"f\"\r\n\r\n" + "x".repeat(300_000)
                        + "\r\n--xyz--\r\n").getBytes(StandardCharsets.UTF_8))
                .post("/graphql").then().statusCode(403);
        as(TestTokens.member()).contentType("application/json").body("{\"query\":\"{ whoami }\"}")
                .post("/graphql").then().statusCode(403);
        as(TestTokens.member()).body(large).post("/api/backups/import?includeChannels=true&includeModels=true"
                + "&includeAPIKeys=true&channelConflictStrategy=skip&modelConflictStrategy=skip"
                + "&modelPriceConflictStrategy=skip&apiKeyConflictStrategy=skip").then().statusCode(403);
        assertEquals(0, spooledFiles(), "nothing of a non-owner's request reaches the disk");
        assertEquals(0, db.count("channels"));
    }

    @Test
    void shouldKeepTheSpoolDirectoryPrivate() throws Exception {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(SPOOL))));
    }

    // --- What the admin UI gets back

    @Test
    void shouldAnswerJsonToTheAdminUiQuery() {
        // The UI's fetch: Content-Type application/json and no Accept, so the browser sends */*.
        asOwner().contentType("application/json").header("Accept", "*/*")
                .body("{\"query\":\"{ whoami }\"}").post("/admin/graphql").then().statusCode(200)
                .header("Content-Type", allOf(startsWith("application/json"), not(containsString("graphql-response"))))
                .body("data.whoami", equalTo("42"));
        asOwner().contentType("application/json").header("Accept", "application/graphql-response+json")
                .body("{\"query\":\"{ whoami }\"}").post("/graphql").then().statusCode(200)
                .header("Content-Type", startsWith("application/graphql-response+json"));
    }

    @Test
    void shouldAnswerJsonToTheAdminUiRestore() throws Exception {
        asOwner().header("Accept", "*/*")
                .multiPart("operations", RESTORE_OPERATIONS)
                .multiPart("map", "{\"0\":[\"variables.file\"]}")
                .multiPart("0", fixtureFile(), "application/json")
                .post("/admin/graphql").then().statusCode(200)
                .header("Content-Type", allOf(startsWith("application/json"), not(containsString("graphql-response"))))
                .body("data.restore.success", equalTo(true));
    }

    // --- GraphQL documents

    @Test
    void shouldRefuseAnOperationWithTooManyFields() {
        StringBuilder query = new StringBuilder("{");
        for (int i = 0; i < 60; i++) {
            query.append(" a").append(i).append(": whoami");
        }
        asOwner().contentType("application/json").body(Map.of("query", query + " }"))
                .post("/graphql").then().statusCode(200)
                .body("data", org.hamcrest.Matchers.nullValue())
                .body("errors[0].message", containsString("maximum query complexity exceeded 60 > 50"));
    }

    @Test
    void shouldRefuseAnOperationNestedTooDeep() {
        asOwner().contentType("application/json")
                .body(Map.of("query", "{ __schema { types { fields { type { ofType { ofType { name } } } } } } }"))
                .post("/graphql").then().statusCode(200)
                .body("errors[0].message", containsString("maximum query depth exceeded"));
    }

    @Test
    void shouldRunAtMostOneBackupOrRestorePerRequest() {
        asOwner().contentType("application/json")
                .body(Map.of("query", "mutation { a: backup(input: " + BACKUP_INPUT + ") { success } "
                        + "b: backup(input: " + BACKUP_INPUT + ") { success } }"))
                .post("/graphql").then().statusCode(400)
                .body("errors[0].message", containsString("at most one backup or restore (this one has 2)"));
        asOwner().contentType("application/json")
                .body(Map.of("query", "mutation { ...twice } fragment twice on Mutation { backup(input: " + BACKUP_INPUT
                        + ") { success } ... on Mutation { again: backup(input: " + BACKUP_INPUT + ") { success } } }"))
                .post("/admin/graphql").then().statusCode(400)
                .body("errors[0].message", containsString("at most one backup or restore"));
        asOwner().contentType("application/json")
                .body(Map.of("query", "mutation { backup(input: " + BACKUP_INPUT + ") { success } }"))
                .post("/graphql").then().statusCode(200).body("data.backup.success", equalTo(true));
    }

    @Test
    void shouldAnswerAQueryThatIsNotAStringWith400() {
        asOwner().contentType("application/json").body("{\"query\":123}")
                .post("/graphql").then().statusCode(400)
                .body("errors[0].message", containsString("\"query\" must be a string"));
        asOwner().contentType("application/json").body("[1,2]")
                .post("/graphql").then().statusCode(400)
                .body("errors[0].message", containsString("must be a JSON object"));
    }

    // --- Uploads, decompression and the spool

    private static final String IMPORT = "/api/backups/import?includeChannels=true&includeModels=true"
            + "&includeAPIKeys=true&channelConflictStrategy=skip&modelConflictStrategy=skip"
            + "&modelPriceConflictStrategy=skip&apiKeyConflictStrategy=skip";

    private static byte[] gzip(byte[] content) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(content);
        }
        return out.toByteArray();
    }

    @Test
    void shouldStopDecompressingAtTheLimit() throws Exception {
        byte[] bomb = gzip(new byte[1024 * 1024]); // 1 MB of zeros, about 1 KB compressed
        asOwner().body(bomb).post(IMPORT).then().statusCode(400)
                .body("error", containsString("decompresses to more than the limit of 65536 bytes"));
        multipart(asOwner(), RESTORE_OPERATIONS).multiPart("0", "bomb.json.gz", bomb, "application/gzip")
                .post("/admin/graphql").then().statusCode(400)
                .body("errors[0].message", containsString("decompresses to more than the limit of 65536 bytes"));
        assertEquals(0, spooledFiles(), "partial files are deleted");
    }

    @Test
    void shouldStillRestoreAGzipFileWithinTheLimits() throws Exception {
        byte[] file = gzip(fixture());
        asOwner().body(file).post(IMPORT).then().statusCode(200);
        assertEquals(3, db.count("usage_logs"));
        assertEquals(0, spooledFiles());
    }

    @Test
    void shouldRefuseUploadsOnceTheSpoolIsFull() throws Exception {
        byte[] over = new byte[300 * 1024]; // under the upload limit (512K), over the spool cap (256K)
        asOwner().body(over).post(IMPORT).then().statusCode(507)
                .body("error", containsString("gateway-backup.restore.spool-max-size"));
        multipart(asOwner(), RESTORE_OPERATIONS).multiPart("0", "f.json", over, "application/json")
                .post("/graphql").then().statusCode(507);
        assertEquals(0, spooledFiles());
        // The space is given back: a normal restore still works.
        asOwner().body(fixture()).post(IMPORT)
                .then().statusCode(200);
    }

    /** Upload headers that carry {@code Expect: 100-continue}: curl sends it for bodies over 1 MiB, then waits a second. */
    private static byte[] expectContinueHeaders(String path, String token, String contentType, long length) {
        return ("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token + "\r\nContent-Type: "
                + contentType + "\r\nContent-Length: " + length + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The status line the service answers to those headers, before any body byte is sent. */
    private String answerToExpectContinue(String path, String token, String contentType, long length) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(expectContinueHeaders(path, token, contentType, length));
            socket.getOutputStream().flush();
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            try {
                return in.readLine();
            } catch (SocketTimeoutException e) {
                return "no answer in 10 s";
            }
        }
    }

    @Test
    void shouldAskForTheBodyOnlyOnceTheUploadIsTaken() throws Exception {
        String multipart = "multipart/form-data; boundary=xyz";
        for (String path : List.of(IMPORT, "/admin/graphql")) {
            String type = path.equals(IMPORT) ? "application/json" : multipart;
            assertEquals("HTTP/1.1 100 Continue", answerToExpectContinue(path, TestTokens.owner(), type, 100_000), path);
            assertTrue(answerToExpectContinue(path, TestTokens.member(), type, 100_000).startsWith("HTTP/1.1 403"), path);
            assertTrue(answerToExpectContinue(path, TestTokens.owner(), type, 1_000_000).startsWith("HTTP/1.1 413"), path);
        }
        waitFor(() -> spooledFiles() == 0, "the uploads that never came left nothing");
        // And the upload told to go on is restored.
        byte[] body = fixture();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(expectContinueHeaders(IMPORT, TestTokens.owner(), "application/json", body.length));
            out.flush();
            java.io.InputStream in = socket.getInputStream();
            byte[] interim = new byte["HTTP/1.1 100 Continue\r\n\r\n".length()];
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", new String(in.readNBytes(interim.length), StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        }
        assertTrue(db.count("channels") > 0);
    }

    @Test
    void shouldDeleteTheSpoolFileWhenTheClientGoesAway() throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + IMPORT + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestTokens.owner()
                    + "\r\nContent-Length: 200000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[50_000]);
            out.flush();
            waitFor(() -> spooledFiles() == 1, "the body is being spooled");
        }
        waitFor(() -> spooledFiles() == 0, "the spool file is deleted once the client is gone");
    }

    @Test
    void shouldDeleteUploadsWhenTheMultipartRequestHasTooManyParts() throws Exception {
        RequestSpecification request = multipart(asOwner(), RESTORE_OPERATIONS);
        for (int i = 0; i < 300; i++) {
            request.multiPart("f" + i, "f" + i + ".json", new byte[10], "application/json");
        }
        request.post("/graphql").then().statusCode(400);
        waitFor(() -> spooledFiles() == 0, "no part is left on disk");
    }

    // --- Elements of a backup file

    private static ObjectNode fixtureJson() throws Exception {
        return (ObjectNode) JSON.readTree(fixtureFile());
    }

    private ValidatableResponse importJson(String body) {
        return asOwner().body(body.getBytes(StandardCharsets.UTF_8)).post(IMPORT).then();
    }

    private ValidatableResponse importChanged(Consumer<ObjectNode> change) throws Exception {
        ObjectNode file = fixtureJson();
        change.accept(file);
        return importJson(JSON.writeValueAsString(file));
    }

    private static ObjectNode element(ObjectNode file, String section, int index) {
        return (ObjectNode) file.get(section).get(index);
    }

    @Test
    void shouldRefuseAnElementOverTheSizeLimit() throws Exception {
        importChanged(f -> element(f, "usage_requests", 1).put("request_body", "x".repeat(40_000)))
                .statusCode(400).body("error", allOf(containsString("usage_requests[1]"),
                        containsString("32768"), containsString("gateway-backup.restore.max-element-size")));
        assertEquals(0, db.count("channels"), "nothing is written");
    }

    @Test
    void shouldRefuseAnElementWithTooManyValuesBeforeBuildingIt() throws Exception {
        importChanged(f -> {
            ArrayNode empties = element(f, "usage_requests", 0).putArray("request_body");
            for (int i = 0; i < 3000; i++) {
                empties.addObject();
            }
        }).statusCode(400).body("error", allOf(containsString("usage_requests[0]"),
                containsString("gateway-backup.restore.max-element-values")));
    }

    @Test
    void shouldAnswerParserLimitsWith400() throws Exception {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        String file = JSON.writeValueAsString(fixtureJson()).replace("\"usage_requests\":[{",
                "\"usage_requests\":[{\"deep\":" + deep + ",");
        importJson(file).statusCode(400).body("error", allOf(containsString("usage_requests[0]"),
                containsString("nest deeper than the limit of 50"), containsString("max-nesting-depth")));
        String longNumber = JSON.writeValueAsString(fixtureJson()).replace("\"usage_requests\":[{",
                "\"usage_requests\":[{\"n\":" + "9".repeat(2000) + ",");
        importJson(longNumber).statusCode(400).body("error", containsString("a number is longer than the limit"));
    }

    @Test
    void shouldAnswerOddValuesWith400() throws Exception {
        importChanged(f -> element(f, "usage_requests", 0).put("project_id", 1.5))
                .statusCode(400).body("error", containsString("usage_requests[0]: project_id must be an integer"));
        importChanged(f -> element(f, "usage_requests", 0).put("project_id", 1e18))
                .statusCode(400).body("error", containsString("project_id must be an integer"));
        importChanged(f -> element(f, "usage_logs", 0).put("request_id", 1.5))
                .statusCode(400).body("error", containsString("usage_logs[0]: request_id must be an integer"));
        importChanged(f -> element(f, "usage_requests", 0).put("created_at", "+999999999-12-31T23:59:59Z"))
                .statusCode(400).body("error", containsString("created_at must be an RFC 3339 time in the years"));
        importChanged(f -> element(f, "channels", 0).put("name", "bad\u0000name"))
                .statusCode(400).body("error", containsString("channels[0]: name must be text without the NUL"));
        importChanged(f -> element(f, "usage_requests", 0).putObject("request_body").put("x", "a\u0000b"))
                .statusCode(400).body("error", containsString("request_body must be JSON without the NUL"));
        assertEquals(0, db.count("channels"));
    }

    // --- Connections, metrics, liveness

    @Test
    void shouldCutAClientThatStallsInItsHeaders() throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(8000);
            socket.getOutputStream().write("POST /graphql HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            long started = System.nanoTime();
            InputStream in = socket.getInputStream();
            try {
                assertEquals(-1, in.read(), "the server closes the connection");
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the connection was still open after 8 s", e);
            } catch (java.net.SocketException e) {
                // reset by the server: cut as well
            }
            assertTrue(System.nanoTime() - started < 7_000_000_000L);
        }
    }

    @Test
    void shouldNotTurnUnknownPathsIntoMetricTags() {
        for (int i = 0; i < 5; i++) {
            given().get("/api/junk-" + i).then().statusCode(401);
            asOwner().get("/api/junk-owner-" + i).then().statusCode(404);
        }
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertFalse(metrics.contains("junk"), "no metric is tagged with an unknown path");
        assertTrue(metrics.contains("http_server_requests"), "requests are still measured");
    }

    @Inject
    io.vertx.core.Vertx vertx;

    @Inject
    @Liveness
    EventLoopLivenessCheck liveness;

    @Test
    void shouldReportAStuckEventLoopAsNotLive() throws Exception {
        given().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'event loops' }.status", equalTo("UP"));
        var loop = ((io.vertx.core.impl.VertxInternal) vertx).getEventLoopGroup().next();
        loop.execute(() -> {
            try {
                Thread.sleep(4000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // The health endpoint may be served by the stuck loop itself, so ask the check directly.
        waitFor(() -> liveness.call().getStatus() == HealthCheckResponse.Status.DOWN, "DOWN while a loop is stuck");
        waitFor(() -> liveness.call().getStatus() == HealthCheckResponse.Status.UP, "UP again once the loop runs");
    }

}
