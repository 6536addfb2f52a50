package gateway.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gateway.backup.TestDatabase;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The usage rows the service encodes ({@link UsageJson}) are byte for byte the objects PostgreSQL builds
 * with to_json from the same fields ({@link JsonRowBatches#objectWithoutNulls}), for awkward values and in
 * several session time zones.
 */
@QuarkusTest
class UsageJsonTests {

    private static final BatchLimit LIMIT = new BatchLimit(3, Long.MAX_VALUE);

    /**
     * UTC; half-hour and 45-minute offsets with summer time; offsets with seconds (local mean time) east and west;
     * POSIX forms, whose sign is the opposite of ISO's. Not Europe/Amsterdam: for year 99 Java's time zone data
     * has Brussels' local mean time (+00:17:30) and PostgreSQL's Amsterdam's (+00:19:32).
     */
    private static final List<String> TIME_ZONES = List.of("UTC", "America/St_Johns", "Asia/Kathmandu",
            "Europe/Dublin", "Africa/Monrovia", "UTC+3", "<+0530>-05:30", "+05:30");

    @Inject
    TestDatabase db;
    @Inject
    UsageRequestRepository requests;
    @Inject
    UsageLogRepository logs;

    @BeforeEach
    void awkwardRows() {
        db.reset();
        db.execute("insert into projects (id, name) values (1, E'Pro\"ject \\\\ é 日本 😀'), (2, '')");
        db.execute("insert into channels (id, name, type) values (1, E'tab\\there\\u0001', 'openai'), (2, '', 'openai')");
        db.execute("insert into api_keys (id, user_id, project_id, key, name) values (1, 1, 1, E'ak-\\u001f-\\u007f', 'k')");
        db.execute("""
                insert into requests (created_at, updated_at, api_key_id, project_id, trace_id, data_storage_id, source,
                    model_id, reasoning_effort, format, request_body, channel_id, external_id, status, stream, client_ip,
                    metrics_latency_ms, metrics_first_token_latency_ms, metrics_reasoning_duration_ms, content_saved,
                    content_storage_id, content_storage_key, content_saved_at) values
                ('2024-02-29 23:59:59.999999+00', '2024-03-01 00:00:00.1+00', 1, 1, 0, -5, '', E'mod\\u00e8le-日本-😀',
                    null, E'a\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f "q" \\\\ / </script> \\u2028 end', '{}', 1, '', 'completed',
                    true, '10.0.0.1', 9223372036854775807, -9223372036854775808, 0, true, 0, '', '1900-01-01 00:00:00+00'),
                ('0099-06-01 12:00:00.5+00', '12000-01-01 00:00:00.000001+00', null, 2, null, null, 'api', '', 'high',
                    'f', '{}', 2, 'ext', 'failed', false, '', null, 1, null, false, null, 'key', 'infinity'),
                ('0044-03-15 12:00:00.12+00 BC', '1937-06-30 23:59:59.123450+00', 1, 99, 1, 1, 'api', 'm', '', 'f',
                    '{}', 999, null, 'completed', false, '::1', 1, 1, 1, false, 1, null, '-infinity'),
                ('2026-03-29 01:30:00+00', '2026-10-25 00:59:59.5+00', 0, 1, null, null, 'api', 'm', null, 'f', '{}',
                    null, null, 'completed', false, '', null, null, null, false, null, null, '2026-11-01 05:30:00+00')
                """);
        db.execute("""
                insert into usage_logs (created_at, updated_at, request_id, api_key_id, project_id, channel_id, model_id,
                    prompt_tokens, completion_tokens, total_tokens, prompt_cached_tokens, source, format, total_cost,
                    cost_items, cost_price_reference_id) values
                ('2024-02-29 23:59:59.999999+00', '2024-03-01 00:00:00+00', 1, 1, 1, 1, E'\\u00e9', 0, -1,
                    9223372036854775807, 0, '', 'f', 0, E'[{"a": "\\u00e9\\\\n", "b": 1.50, "c": null}]', ''),
                ('0099-06-01 12:00:00.5+00', '2024-03-01 00:00:00+00', 2, null, 2, 2, 'm', 1, 1, 2, 64, 'api', 'f',
                    '-0', 'null', 'price'),
                ('2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00', 3, 1, 1, null, 'm', 1, 1, 2, 0, 'api', 'f',
                    0.1::float8 + 0.2::float8, '{}', null),
                ('2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00', 3, 1, 1, null, 'm', 1, 1, 2, 0, 'api', 'f',
                    1e-7, null, null),
                ('2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00', 3, 1, 1, null, 'm', 1, 1, 2, 0, 'api', 'f',
                    123456789012345680000, null, null),
                ('2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00', 3, 1, 1, null, 'm', 1, 1, 2, 0, 'api', 'f',
                    'NaN', null, null),
                ('2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00', 3, 1, 1, null, 'm', 1, 1, 2, 0, 'api', 'f',
                    '-Infinity', null, null),
                ('2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00', 3, 1, 1, null, 'm', 1, 1, 2, 0, 'api', 'f',
                    '4.9e-324', null, null),
                ('2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00', 3, 1, 1, null, 'm', 1, 1, 2, 0, 'api', 'f',
                    -1.7976931348623157e308, null, null),
                ('2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00', 3, 1, 1, null, 'm', 1, 1, 2, 0, 'api', 'f',
                    -2.5, null, null)
                """);
    }

    @Test
    @RunOnVertxContext
    void shouldEncodeRequestsAsPostgresBuildsThem(UniAsserter asserter) {
        for (String timeZone : TIME_ZONES) {
            for (boolean withApiKeys : List.of(true, false)) {
                String sql = UsageJson.builtByPostgres(UsageRequestRepository.backupFields(withApiKeys, false),
                        UsageRequestRepository.backupFrom(withApiKeys));
                assertSameRows(asserter, timeZone, 4, () -> requests.streamBackupJson(withApiKeys, false, LIMIT),
                        () -> JsonRowBatches.stream(requests.getSession(), sql, LIMIT));
            }
        }
    }

    @Test
    @RunOnVertxContext
    void shouldEncodeUsageLogsAsPostgresBuildsThem(UniAsserter asserter) {
        for (String timeZone : TIME_ZONES) {
            for (boolean withApiKeys : List.of(true, false)) {
                String sql = UsageJson.builtByPostgres(UsageLogRepository.backupFields(withApiKeys),
                        UsageLogRepository.backupFrom(withApiKeys));
                assertSameRows(asserter, timeZone, 10, () -> logs.streamBackupJson(withApiKeys, LIMIT),
                        () -> JsonRowBatches.stream(logs.getSession(), sql, LIMIT));
            }
        }
    }

    /** In one transaction with the session's time zone set: the service's rows and PostgreSQL's, as text. */
    private static void assertSameRows(UniAsserter asserter, String timeZone, int rows,
            Supplier<Multi<List<byte[]>>> encoded, Supplier<Multi<List<byte[]>>> built) {
        asserter.assertThat(() -> Panache.withTransaction(() -> RawSql.select(Panache.getSession(),
                        "select set_config('TimeZone', $1, true)", timeZone)
                .chain(() -> text(encoded.get()))
                .chain(mine -> text(built.get()).map(postgres -> List.of(mine, postgres)))),
                both -> {
                    assertEquals(rows, both.get(1).size(), timeZone);
                    assertEquals(both.get(1), both.get(0), "in time zone " + timeZone);
                });
    }

    private static Uni<List<String>> text(Multi<List<byte[]>> batches) {
        return batches.onItem().<byte[]>disjoint().map(row -> new String(row, StandardCharsets.UTF_8)).collect().asList();
    }
}
