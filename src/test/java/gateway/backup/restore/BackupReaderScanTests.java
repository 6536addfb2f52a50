package gateway.backup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gateway.backup.domain.BatchLimit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restore's index scans usage sections byte by byte: it must find what a full parse finds. */
class BackupReaderScanTests {

    private static final BackupReader.Limits LIMITS = new BackupReader.Limits(4096, 100, 20);

    @TempDir
    Path dir;

    private Path file(String text) throws Exception {
        Path file = dir.resolve("backup.json");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void shouldFindTheSectionsAFullParseFinds() throws Exception {
        // Brackets, braces, quotes and backslashes inside strings; newlines; config after usage; an empty section.
        String text = "{\"usage_logs\": [\n {\"request_id\": 2, \"cost_items\": [{\"a\": \"]}\\\\\\\"\"}]},\n"
                + " {\"request_id\": 3, \"model_id\": \"x\\\"]\"}\n],\n"
                + "\"usage_requests\":[],\"version\":\"1.2\",\n"
                + "\"projects\": [{\"name\": \"P } ]\"}], \"extra\": {\"usage_logs\": [1]},\n"
                + "\"channels\": [{\"name\": \"C\"}]}";
        BackupReader.Index scanned = BackupReader.index(file(text), LIMITS, true);
        BackupReader.Index parsed = BackupReader.index(file(text), LIMITS, false);
        assertEquals(parsed.sections(), scanned.sections());
        assertEquals("1.2", scanned.version());
        try (UsageReader<UsageReader.LogRow> logs = UsageReader.logs(scanned)) {
            List<UsageReader.LogRow> rows = logs.next(new BatchLimit(10, 1 << 20));
            assertEquals(List.of(2L, 3L), rows.stream().map(r -> r.requestId).toList());
            assertEquals("x\"]", rows.get(1).modelId);
        }
        try (BackupReader.Section channels = new BackupReader.Section(scanned, "channels")) {
            assertEquals("C", channels.next(new BatchLimit(10, 1 << 20)).get(0).node().get("name").asText());
        }
    }

    @Test
    void shouldRefuseWhatTheFullParseRefuses() throws Exception {
        String deep = "[".repeat(30) + "]".repeat(30);
        assertTrue(refusal("{\"version\":\"1.2\",\"usage_logs\":[{\"x\":" + deep + "}]}")
                .contains("usage_logs[0]: objects and arrays nest deeper than the limit of 20"));
        assertTrue(refusal("{\"version\":\"1.2\",\"usage_logs\":[{}, 7]}").contains("usage_logs[1] must be an object"));
        assertTrue(refusal("{\"version\":\"1.2\",\"usage_requests\":[{\"b\":\"" + "x".repeat(5000) + "\"}]}")
                .contains("usage_requests[0] is larger than the limit of 4096 bytes"));
        assertTrue(refusal("{\"version\":\"1.2\",\"usage_requests\":[{\"b\":[" + "1,".repeat(150) + "1]}]}")
                .contains("usage_requests[0] holds more than 100 JSON values"));
        assertTrue(refusal("{\"version\":\"1.2\",\"usage_requests\":[{\"a\":1},{\"b\":\"]")
                .startsWith("Invalid JSON in usage_requests[1]"));
        assertTrue(refusal("{\"version\":\"1.2\",\"usage_logs\":[],\"usage_logs\":[]}").contains("appears twice"));
        assertTrue(refusal("{\"version\":\"1.2\",\"usage_logs\":[]} {}").contains("content after the closing brace"));
    }

    private String refusal(String text) throws Exception {
        Path file = file(text);
        return assertThrows(RestoreException.class, () -> BackupReader.index(file, LIMITS, true)).getMessage();
    }
}
