package gateway.backup.restore;

import static gateway.backup.TestApi.asOwner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.backup.Eventually;
import gateway.backup.TestDatabase;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Backups and restores at the same time: restores run one at a time (a transaction-level
 * advisory lock), so two restores of one file leave the rows of one; twenty mixed runs all
 * finish; a backup taken while the gateway writes holds one consistent snapshot.
 */
@QuarkusTest
public class ConcurrencyTests {

    static final String IMPORT = "/api/backups/import?includeChannels=true&includeModels=true"
            + "&includeAPIKeys=true&channelConflictStrategy=skip&modelConflictStrategy=skip"
            + "&modelPriceConflictStrategy=skip&apiKeyConflictStrategy=skip";
    static final String EXPORT = "/api/backups/export?includeChannels=true&includeModels=true&includeAPIKeys=true&compression=none";
    static final ObjectMapper JSON = new ObjectMapper();
    /** Runs at once in {@link #shouldFinishTwentyConcurrentBackupsAndRestores}. */
    static final int MIXED_RUNS = 20;
    /** Concurrent runs all tests here make: two restores, the mixed ones, and one backup beside a writer. */
    public static final int CONCURRENT_RUNS = 2 + MIXED_RUNS + 1;

    @Inject
    TestDatabase db;

    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void empty() {
        db.reset();
    }

    /** The fixture's configuration, then {@code requests} usage requests with one usage log each. */
    static Path usageFile(int requests) throws Exception {
        JsonNode fixture;
        try (InputStream in = ConcurrencyTests.class.getResourceAsStream("/fixtures/backup-v1.2-small.json")) {
            fixture = JSON.readTree(in);
        }
        Path file = Files.createTempFile(Path.of("target"), "concurrency-", ".json");
        ObjectNode request = (ObjectNode) fixture.get("usage_requests").get(0).deepCopy();
        ObjectNode usageLog = (ObjectNode) fixture.get("usage_logs").get(0).deepCopy();
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        try (JsonGenerator out = JSON.getFactory().createGenerator(Files.newOutputStream(file))) {
            out.writeStartObject();
            fixture.properties().stream().filter(f -> !f.getKey().startsWith("usage_")).forEach(f -> {
                try {
                    out.writeFieldName(f.getKey());
                    out.writeTree(f.getValue());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            out.writeArrayFieldStart("usage_requests");
            for (int i = 1; i <= requests; i++) {
                String at = start.plusMillis(i).toString();
                out.writeTree(request.put("id", i).put("created_at", at).put("updated_at", at));
            }
            out.writeEndArray();
            out.writeArrayFieldStart("usage_logs");
            for (int i = 1; i <= requests; i++) {
                String at = start.plusMillis(i).toString();
                out.writeTree(usageLog.put("id", i).put("request_id", i).put("created_at", at).put("updated_at", at));
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        return file;
    }

    /** Runs the tasks at once (released together) and returns their results. */
    private static <T> List<T> together(List<Callable<T>> tasks, long timeoutSeconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            for (Future<T> future : futures) {
                results.add(future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldLeaveTheRowsOfOneRestoreWhenTwoRestoreTheSameFileAtOnce() throws Exception {
        Path file = usageFile(2000);
        try {
            List<Response> answers = together(List.of(
                    () -> asOwner().body(file.toFile()).post(IMPORT),
                    () -> asOwner().body(file.toFile()).post(IMPORT)),
                    300);
            for (Response answer : answers) {
                assertEquals(200, answer.statusCode(), answer.asString());
            }
            assertEquals(2000, db.count("requests"), "requests: one restore's rows, no duplicates");
            assertEquals(2000, db.count("usage_logs"), "usage logs: one restore's rows");
            assertEquals(2, db.count("channels"));
            assertEquals(2, db.count("api_keys"));
            assertEquals(2, db.count("models"));
            assertEquals(2, db.count("channel_model_prices"));
            assertEquals(2, db.count("projects"));
            long waited = answers.stream().filter(a -> a.asString().contains("ms for another restore to finish")).count();
            assertEquals(1, waited, "exactly one restore waited for the other: " + answers.get(0).asString().substring(0, 300));
            long created = answers.stream().mapToLong(a -> ((Number) a.path(
                    "kinds.find { it.kind == 'usage_requests' }.created")).longValue()).sum();
            assertEquals(2000, created, "the second restore found every request of the first");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void shouldFinishTwentyConcurrentBackupsAndRestores() throws Exception {
        Path file = usageFile(200);
        try {
            asOwner().body(file.toFile()).post(IMPORT)
                    .then().statusCode(200);
            Map<String, Long> once = db.rowCounts();
            List<Callable<String>> runs = new ArrayList<>();
            for (int i = 0; i < MIXED_RUNS; i++) {
                if (i % 2 == 0) {
                    runs.add(() -> {
                        Response r = asOwner().body(file.toFile()).post(IMPORT);
                        assertEquals(200, r.statusCode(), r.asString());
                        return "restore";
                    });
                } else {
                    runs.add(() -> {
                        Response r = asOwner().get(EXPORT);
                        assertEquals(200, r.statusCode());
                        JsonNode backup = JSON.readTree(r.asInputStream());
                        assertEquals(200, backup.get("usage_requests").size(), "a complete backup");
                        assertEquals(200, backup.get("usage_logs").size());
                        return "backup";
                    });
                }
            }
            List<String> done = together(runs, 300);
            assertEquals(MIXED_RUNS, done.size());
            assertEquals(once, db.rowCounts(), "ten more restores of the same file added nothing");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void shouldKeepABackupConsistentWhileRequestsAndLogsAreWritten() throws Exception {
        Path file = usageFile(1000);
        try {
            asOwner().body(file.toFile()).post(IMPORT)
                    .then().statusCode(200);
        } finally {
            Files.deleteIfExists(file);
        }
        long before = db.count("requests");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong written = new AtomicLong();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        // The gateway's write pattern: a request, then its usage log, each pair in its own transaction.
        Future<?> inserts = writer.submit(() -> {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                while (writing.get()) {
                    s.execute("with r as (insert into requests (project_id, model_id, request_body, status) "
                            + "select id, 'gpt-4o', '{}', 'completed' from projects where name = 'Research' returning id, project_id) "
                            + "insert into usage_logs (request_id, project_id, prompt_tokens, total_tokens) "
                            + "select id, project_id, 1, 1 from r");
                    c.commit();
                    written.incrementAndGet();
                }
            }
            return null;
        });
        try {
            Eventually.waitFor(() -> written.get() > 20, "the writer is running");
            long startedAt = written.get();
            Response response = asOwner().get(EXPORT);
            assertEquals(200, response.statusCode());
            long endedAt = written.get();
            JsonNode backup = JSON.readTree(response.asInputStream());
            Set<Long> requestIds = new HashSet<>();
            backup.get("usage_requests").forEach(r -> requestIds.add(r.get("id").asLong()));
            for (JsonNode log : backup.get("usage_logs")) {
                assertTrue(requestIds.contains(log.get("request_id").asLong()),
                        "usage log " + log.get("id") + " has its request in the file");
            }
            long requests = requestIds.size();
            assertEquals(requests, backup.get("usage_logs").size(), "one log per request, as at every committed moment");
            assertTrue(requests >= before + startedAt && requests <= before + endedAt,
                    requests + " requests: a snapshot between " + (before + startedAt) + " and " + (before + endedAt));
            assertTrue(endedAt > startedAt, "rows were written while the backup ran (" + startedAt + " → " + endedAt + ")");
        } finally {
            writing.set(false);
            inserts.get(30, TimeUnit.SECONDS);
            writer.shutdown();
        }
    }
}
