package gateway.backup.api;

import static gateway.backup.TestApi.asOwner;
import static gateway.backup.TestApi.fixture;
import static gateway.backup.TestApi.fixtureFile;
import static gateway.backup.TestApi.multipart;
import static gateway.backup.TestApi.RESTORE_OPERATIONS;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.backup.Eventually;
import gateway.backup.TestDatabase;
import gateway.backup.security.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input of every kind, each sent through both restore doors (the import endpoint and the
 * GraphQL multipart restore): each is answered with a message naming the problem, every gateway
 * table keeps its row count, and no spooled file is left, in the spool directory or in
 * java.io.tmpdir. The service runs with its default limits here (only the spool directory moves).
 * What HostileInputTests and UploadLimitTests already prove (limits with small settings, a client
 * that goes away mid-import, files over the upload limit) is not repeated.
 */
@QuarkusTest
@TestProfile(BadInputTests.OwnSpool.class)
public class BadInputTests {

    static final String SPOOL = "target/test-uploads-bad-input";

    public static class OwnSpool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway-backup.restore.upload-directory", SPOOL);
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final String IMPORT = "/api/backups/import?includeChannels=true&includeModels=true"
            + "&includeAPIKeys=true&channelConflictStrategy=skip&modelConflictStrategy=skip"
            + "&modelPriceConflictStrategy=skip&apiKeyConflictStrategy=skip";
    /** Values of the fixture that must never be echoed: API keys and channel credentials. */
    static final List<String> SECRETS = List.of("ah-research-key-0001", "ah-default-key-0002",
            "sk-upstream-openai-AAAA", "sk-ant-upstream-BBBB");

    /** A bad file, what the answer must say, and whether the fixture is restored first (duplicates). */
    record Case(Supplier<byte[]> body, String expected, boolean restoreFirst) {
    }

    static final Map<String, Case> FILES = new LinkedHashMap<>();

    private static void add(String name, Supplier<byte[]> body, String expected) {
        FILES.put(name, new Case(body, expected, false));
    }

    private static void addDuplicate(String name, Supplier<byte[]> body, String expected) {
        FILES.put(name, new Case(body, expected, true));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String fixtureText() {
        return new String(fixture(), StandardCharsets.UTF_8);
    }

    /** The fixture with one change. */
    private static Supplier<byte[]> changed(Consumer<ObjectNode> change) {
        return () -> {
            try {
                ObjectNode file = (ObjectNode) JSON.readTree(fixtureText());
                change.accept(file);
                return JSON.writeValueAsBytes(file);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static ObjectNode element(ObjectNode file, String section, int index) {
        return (ObjectNode) file.get(section).get(index);
    }

    /** The fixture cut inside a section's first element. */
    private static Supplier<byte[]> cutIn(String section) {
        return () -> {
            String text = fixtureText();
            int open = text.indexOf("{", text.indexOf("\"" + section + "\": ["));
            return bytes(text.substring(0, open + 30));
        };
    }

    private static byte[] gzip(byte[] content) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
                zip.write(content);
            }
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static {
        add("empty body", () -> new byte[0], "the file is empty");
        add("not JSON", () -> bytes("this is not a backup"), "Invalid JSON");
        add("JSON array at top level", () -> bytes("[{\"version\":\"1.2\"}]"), "it must be one JSON object");
        add("JSON string at top level", () -> bytes("\"1.2\""), "it must be one JSON object");
        add("content after the object", () -> bytes(fixtureText() + "{}"), "content after the closing brace");
        add("missing version", changed(f -> f.remove("version")), "no version; supported versions are");
        add("unknown version", changed(f -> f.put("version", "9.9")), "Unsupported backup version \"9.9\"");
        for (String section : List.of("projects", "channels", "models", "channel_model_prices", "api_keys",
                "usage_requests", "usage_logs")) {
            add("truncated in " + section, cutIn(section), "Invalid JSON in " + section + "[");
        }
        add("truncated after the last section", () -> bytes(fixtureText().substring(0, fixtureText().lastIndexOf(']') + 1)),
                "Invalid JSON");
        add("section that is an object", changed(f -> f.putObject("channels")), "channels must be an array");
        add("element that is a number", changed(f -> f.withArray("usage_logs").insert(0, 7)),
                "usage_logs[0] must be an object");
        add("null element", changed(f -> f.withArray("usage_requests").insertNull(1)), "usage_requests[1] must be an object");
        add("section given twice", () -> bytes(fixtureText().replace("\"usage_logs\": [",
                "\"channels\": [], \"usage_logs\": [")), "section channels appears twice");
        add("string for a number", changed(f -> element(f, "usage_logs", 0).put("prompt_tokens", "100")),
                "usage_logs[0]: prompt_tokens must be an integer");
        add("string for a number in a channel", changed(f -> element(f, "channels", 1).put("ordering_weight", "ten")),
                "channels[1]: ordering_weight must be an integer");
        add("string for a cost", changed(f -> element(f, "usage_logs", 1).put("total_cost", "0.01")),
                "usage_logs[1]: total_cost must be a finite number");
        add("object for a string", changed(f -> element(f, "projects", 1).putObject("name")),
                "projects[1]: name must be a string");
        add("array for a boolean", changed(f -> element(f, "usage_requests", 1).putArray("stream")),
                "usage_requests[1]: stream must be true or false");
        add("number for a timestamp", changed(f -> element(f, "usage_requests", 0).put("created_at", 1746093600)),
                "usage_requests[0]: created_at must be a string");
        add("invalid timestamp", changed(f -> element(f, "usage_logs", 2).put("created_at", "2026-13-45T25:61:00Z")),
                "usage_logs[2]: created_at must be an RFC 3339 time");
        add("timestamp without zone", changed(f -> element(f, "models", 0).put("updated_at", "2026-01-07 00:00:00")),
                "models[0]: updated_at must be an RFC 3339 time");
        add("unknown request status", changed(f -> element(f, "usage_requests", 2).put("status", "done")),
                "usage_requests[2]: unknown status \"done\"");
        add("unknown usage source", changed(f -> element(f, "usage_logs", 0).put("source", "cli")),
                "usage_logs[0]: unknown source \"cli\"");
        add("unknown channel status", changed(f -> element(f, "channels", 0).put("status", "on")),
                "channels[0]: unknown status \"on\"");
        add("unknown API key type", changed(f -> element(f, "api_keys", 1).put("type", "robot")),
                "api_keys[1]: unknown type \"robot\"");
        add("unknown project status", changed(f -> element(f, "projects", 0).put("status", "gone")),
                "projects[0]: unknown status \"gone\"");
        add("missing required name", changed(f -> element(f, "channels", 0).remove("name")), "channels[0]: name is required");
        add("missing price", changed(f -> element(f, "channel_model_prices", 1).remove("price")),
                "channel_model_prices[1]: price is required");
        add("integer out of range", () -> bytes(fixtureText().replace("\"prompt_tokens\": 100,",
                "\"prompt_tokens\": 99999999999999999999,")), "usage_logs[0]: prompt_tokens must be an integer");
        add("fraction for an id", changed(f -> element(f, "api_keys", 0).put("user_id", 1.5)),
                "api_keys[0]: user_id must be an integer");
        add("cost out of range", () -> bytes(fixtureText().replace("\"total_cost\": 0.0182", "\"total_cost\": 1e999")),
                "usage_logs[1]: total_cost must be a finite number");
        add("year out of range", changed(f -> element(f, "usage_requests", 1).put("created_at", "+20260-05-01T10:00:00Z")),
                "created_at must be an RFC 3339 time");
        add("invalid UTF-8", () -> {
            byte[] text = bytes(fixtureText().replace("\"Research team\"", "\"Research XX\""));
            int at = indexOf(text, bytes("Research XX")) + 9;
            text[at] = (byte) 0xC3;
            text[at + 1] = (byte) 0x28; // 0xC3 must be followed by a continuation byte
            return text;
        }, "Invalid UTF-8");
        add("NUL in a name", changed(f -> element(f, "models", 1).put("name", "a\u0000b")),
                "models[1]: name must be text without the NUL character");
        add("50 MB string", () -> bytes(fixtureText().replace("\"description\": \"Research team\"",
                "\"description\": \"" + "x".repeat(50 * 1024 * 1024) + "\"")),
                "projects[1]: a string is longer than the limit of 16777216 characters (gateway-backup.restore.max-element-size)");
        add("nested 100,000 levels", () -> bytes(fixtureText().replace("\"usage_logs\": [",
                "\"usage_logs\": [{\"deep\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}, ")),
                "usage_logs[0]: objects and arrays nest deeper than the limit of 200 (gateway-backup.restore.max-nesting-depth)");
        add("corrupt gzip", () -> {
            byte[] zipped = gzip(bytes(fixtureText()));
            for (int i = 20; i < 60; i++) {
                zipped[i] ^= 0x5A;
            }
            return zipped;
        }, "gzip");
        add("truncated gzip", () -> Arrays.copyOf(gzip(bytes(fixtureText())), gzip(bytes(fixtureText())).length / 2), "gzip");
        addDuplicate("type error in a duplicate usage log",
                changed(f -> element(f, "usage_logs", 0).put("prompt_tokens", "100")),
                "usage_logs[0]: prompt_tokens must be an integer");
        addDuplicate("out-of-range number in a duplicate request", () -> bytes(fixtureText().replace(
                "\"metrics_latency_ms\": 812", "\"metrics_latency_ms\": 99999999999999999999")),
                "usage_requests[0]: metrics_latency_ms must be an integer");
        addDuplicate("unknown enum in a skipped channel", changed(f -> element(f, "channels", 1).put("status", "paused")),
                "channels[1]: unknown status \"paused\"");
        addDuplicate("type error in a skipped model", changed(f -> element(f, "models", 0).put("icon", 42)),
                "models[0]: icon must be a string");
        addDuplicate("type error in a skipped API key", changed(f -> element(f, "api_keys", 0).put("user_id", "one")),
                "api_keys[0]: user_id must be an integer");
        addDuplicate("type error in a skipped project", changed(f -> element(f, "projects", 0).put("description", true)),
                "projects[0]: description must be a string");
        addDuplicate("type error in a skipped price", changed(f -> element(f, "channel_model_prices", 0).put("reference_id", 5)),
                "channel_model_prices[0]: reference_id must be a string");
        addDuplicate("section given twice after a restore", () -> bytes(fixtureText().replace("\"usage_logs\": [",
                "\"usage_requests\": [], \"usage_logs\": [")), "section usage_requests appears twice");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static Stream<String> fileCases() {
        return FILES.keySet().stream();
    }

    /** Bad arguments: the GraphQL request, what its error must say, and the import query string, if any. */
    static final Map<String, String[]> ARGUMENTS = new LinkedHashMap<>();

    static {
        ARGUMENTS.put("negative retentionDays", new String[] {
            "mutation { updateAutoBackupSettings(input: {retentionDays: -1}) }", "retentionDays must be 0"});
        ARGUMENTS.put("unknown storage id", new String[] {
            "mutation { updateAutoBackupSettings(input: {enabled: true, dataStorageID: 4242}) }", "4242"});
        ARGUMENTS.put("unknown frequency", new String[] {
            "mutation { updateAutoBackupSettings(input: {frequency: hourly}) }", "hourly"});
        ARGUMENTS.put("retentionDays not a number", new String[] {
            "mutation { updateAutoBackupSettings(input: {retentionDays: \"ten\"}) }", "retentionDays"});
    }

    /** Multipart requests that are broken as requests, not as files. */
    static final List<String> MULTIPART_CASES = List.of("without map", "without the file part",
            "map pointing at a missing part", "two files", "unknown conflict strategy", "stopped mid-upload");

    /** Every bad input this class sends: each file case through both doors, arguments, broken multipart requests. */
    public static int inputsTried() {
        return FILES.size() * 2 + ARGUMENTS.size() + MULTIPART_CASES.size() + 1 /* bad strategy on import */;
    }

    @Inject
    TestDatabase db;

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void empty() {
        db.reset();
    }

    private static List<String> leftovers() throws Exception {
        List<String> files = new java.util.ArrayList<>();
        Path spool = Path.of(SPOOL);
        if (Files.isDirectory(spool)) {
            try (var list = Files.list(spool)) {
                list.forEach(p -> files.add(p.toString()));
            }
        }
        try (var list = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            list.filter(p -> p.getFileName().toString().matches("(import|restore|upload)-.*\\.tmp")).forEach(p -> files.add(p.toString()));
        }
        return files;
    }

    private void assertNothingLeft(Map<String, Long> before, String what) throws Exception {
        assertEquals(before, db.rowCounts(), what + ": row counts");
        Eventually.waitFor(() -> leftovers().isEmpty(), what + ": no spooled file left " + leftovers());
    }

    private static void assertNoSecret(String message) {
        for (String secret : SECRETS) {
            assertFalse(message.contains(secret), "the answer holds a secret: " + message);
        }
    }

    private static Response multipartRestore(byte[] file, String fileName) {
        return asOwner().multiPart("operations", RESTORE_OPERATIONS)
                .multiPart("map", "{\"0\":[\"variables.file\"]}")
                .multiPart("0", fileName, file, "application/octet-stream").post("/admin/graphql");
    }

    /** The GraphQL restore's answer to bad input: success false with the message, or an HTTP 4xx with an error. */
    private static String graphQLRefusal(Response response) {
        if (response.statusCode() == 200) {
            assertEquals(Boolean.FALSE, response.path("data.restore.success"), response.asString());
            return response.path("data.restore.message");
        }
        assertTrue(response.statusCode() >= 400 && response.statusCode() < 500, response.statusCode() + " " + response.asString());
        return response.path("errors[0].message");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileCases")
    void shouldRefuseABadFileThroughBothDoorsAndWriteNothing(String name) throws Exception {
        Case bad = FILES.get(name);
        if (bad.restoreFirst()) {
            asOwner().body(Files.readAllBytes(fixtureFile().toPath())).post(IMPORT).then().statusCode(200);
        }
        byte[] body = bad.body().get();
        Map<String, Long> before = db.rowCounts();

        String importError = asOwner().body(body).post(IMPORT).then().statusCode(400).extract().path("error");
        assertTrue(importError.contains(bad.expected()), "import of " + name + ": " + importError);
        assertNoSecret(importError);
        assertNothingLeft(before, "import of " + name);

        String restoreError = graphQLRefusal(multipartRestore(body, name.contains("gzip") ? "f.json.gz" : "f.json"));
        assertTrue(restoreError.contains(bad.expected()), "GraphQL restore of " + name + ": " + restoreError);
        assertNoSecret(restoreError);
        assertNothingLeft(before, "GraphQL restore of " + name);
    }

    static Stream<String> argumentCases() {
        return ARGUMENTS.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("argumentCases")
    void shouldRefuseBadGraphQLArguments(String name) throws Exception {
        String[] bad = ARGUMENTS.get(name);
        Map<String, Long> before = db.rowCounts();
        Response response = asOwner().contentType("application/json").body(Map.of("query", bad[0])).post("/graphql");
        assertTrue(response.statusCode() == 200 || response.statusCode() == 400, response.asString());
        String message = response.path("errors[0].message");
        assertTrue(message != null && message.contains(bad[1]), name + ": " + response.asString());
        assertEquals(before, db.rowCounts(), name + ": nothing saved");
    }

    @Test
    void shouldRefuseAnUnknownConflictStrategy() throws Exception {
        Map<String, Long> before = db.rowCounts();
        asOwner().body(Files.readAllBytes(fixtureFile().toPath())).post(IMPORT.replace("channelConflictStrategy=skip",
                "channelConflictStrategy=merge")).then().statusCode(400)
                .body("error", containsString("channelConflictStrategy must be skip, overwrite or error"));
        String operations = RESTORE_OPERATIONS.replace("\"channelConflictStrategy\":\"skip\"",
                "\"channelConflictStrategy\":\"merge\"");
        Response response = multipart(asOwner(), operations)
                .multiPart("0", fixtureFile(), "application/json").post("/graphql");
        assertTrue(response.asString().contains("No value found for name 'merge'")
                && response.asString().contains("BackupConflictStrategy"), response.asString());
        assertNothingLeft(before, "unknown conflict strategy");
    }

    @Test
    void shouldRefuseMultipartRequestsWithoutMapFileOrWithTwoFiles() throws Exception {
        Map<String, Long> before = db.rowCounts();
        asOwner().multiPart("operations", RESTORE_OPERATIONS).multiPart("0", fixtureFile(), "application/json")
                .post("/graphql").then().statusCode(400).body("errors[0].message", containsString("map"));
        assertNothingLeft(before, "without map");
        multipart(asOwner(), RESTORE_OPERATIONS)
                .post("/graphql").then().statusCode(400).body("errors[0].message", containsString("no such file"));
        assertNothingLeft(before, "without the file part");
        asOwner().multiPart("operations", RESTORE_OPERATIONS).multiPart("map", "{\"7\":[\"variables.file\"]}")
                .multiPart("0", fixtureFile(), "application/json")
                .post("/graphql").then().statusCode(400).body("errors[0].message", containsString("no such file"));
        assertNothingLeft(before, "map pointing at a missing part");
        Response two = asOwner().multiPart("operations", RESTORE_OPERATIONS)
                .multiPart("map", "{\"0\":[\"variables.file\"],\"1\":[\"variables.file\"]}")
                .multiPart("0", fixtureFile(), "application/json").multiPart("1", fixtureFile(), "application/json")
                .post("/graphql");
        assertEquals(400, two.statusCode(), two.asString());
        assertTrue(two.asString().contains("map points two files at variables.file"), two.asString());
        assertNothingLeft(before, "two files");
    }

    @Test
    void shouldDeleteAMultipartUploadThatStopsMidway() throws Exception {
        Map<String, Long> before = db.rowCounts();
        String boundary = "b0undary";
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n"
                + RESTORE_OPERATIONS + "\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{\"0\":[\"variables.file\"]}\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"0\"; filename=\"f.json\"\r\nContent-Type: application/json\r\n\r\n";
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /graphql HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestTokens.owner()
                    + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: 5000000\r\n\r\n"
                    + head).getBytes(StandardCharsets.UTF_8));
            out.write(Files.readAllBytes(fixtureFile().toPath()));
            out.write(new byte[200_000]);
            out.flush();
            Eventually.waitFor(() -> !leftovers().isEmpty(), "the upload is being spooled");
        }
        assertNothingLeft(before, "multipart upload stopped midway");
    }
}
