package gateway.backup.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * The columns of the usage tables that a backup carries, each listed once: the export's JSON
 * ({@link UsageRequestRepository}, {@link UsageLogRepository}) and the restore's insert and
 * duplicate probe (restore.UsageRestore) are built from these lists, and the export's references
 * by name (project, channel, API key) with their joins are here too. Ids are added by each of them.
 */
public final class UsageColumns {

    private UsageColumns() {
    }

    /** A column, its PostgreSQL type, and whether it may hold null. */
    public record Column(String name, String type, boolean nullable) {

        /** The export's field of this column over the table's {@code alias}: empty values (0, '', false) left out, as nulls are. */
        public UsageJson.Field exported(String alias) {
            return new UsageJson.Field(name, alias + "." + name, type, true);
        }
    }

    /**
     * The names a usage row carries of its project, channel and (with API keys) key, as the export writes
     * them: also of soft-deleted projects and channels, so a restore can match fingerprints. From
     * {@link #referenceJoins}.
     */
    static List<UsageJson.Field> referenceNames(boolean withApiKeys) {
        List<UsageJson.Field> names = new ArrayList<>(List.of(new UsageJson.Field("project_name", "p.name", "text", true),
                new UsageJson.Field("channel_name", "c.name", "text", true)));
        if (withApiKeys) {
            names.add(new UsageJson.Field("api_key_key", "k.key", "text", true));
        }
        return names;
    }

    /** The joins {@link #referenceNames} come from, for a usage table aliased {@code alias}. */
    static String referenceJoins(String alias, boolean withApiKeys) {
        return " left join projects p on p.id = " + alias + ".project_id"
                + " left join channels c on c.id = " + alias + ".channel_id"
                + (withApiKeys ? " left join api_keys k on k.id = " + alias + ".api_key_id" : "");
    }

    private static Column column(String name, String type, boolean nullable) {
        return new Column(name, type, nullable);
    }

    /** A usage request's columns without its payloads, in the file's order. */
    public static final List<Column> REQUESTS = List.of(
            column("created_at", "timestamptz", false),
            column("updated_at", "timestamptz", false),
            column("api_key_id", "bigint", true),
            column("project_id", "bigint", false),
            column("trace_id", "bigint", true),
            column("data_storage_id", "bigint", true),
            column("source", "text", false),
            column("model_id", "text", false),
            column("reasoning_effort", "text", true),
            column("format", "text", false),
            column("channel_id", "bigint", true),
            column("external_id", "text", true),
            column("status", "text", false),
            column("stream", "boolean", false),
            column("client_ip", "text", false),
            column("metrics_latency_ms", "bigint", true),
            column("metrics_first_token_latency_ms", "bigint", true),
            column("metrics_reasoning_duration_ms", "bigint", true),
            column("content_saved", "boolean", false),
            column("content_storage_id", "bigint", true),
            column("content_storage_key", "text", true),
            column("content_saved_at", "timestamptz", true));

    /** The request and response payloads: in a file only with request logs. */
    public static final List<Column> REQUEST_PAYLOADS = List.of(
            column("request_headers", "jsonb", true),
            column("request_body", "jsonb", false),
            column("response_body", "jsonb", true),
            column("response_chunks", "jsonb", true));

    /**
     * The request's own part of its fingerprint (docs/backup-format.md, restore rules); with the names of its
     * project, channel and API key, requests that agree on all of them are the same request.
     */
    public static final List<String> REQUEST_FINGERPRINT = List.of("created_at", "model_id", "format", "source",
            "status", "stream", "client_ip", "external_id", "reasoning_effort");

    /** The token counters of a usage log. */
    public static final List<String> TOKENS = List.of("prompt_tokens", "completion_tokens", "total_tokens",
            "prompt_audio_tokens", "prompt_cached_tokens", "prompt_write_cached_tokens",
            "prompt_write_cached_tokens_5m", "prompt_write_cached_tokens_1h", "completion_audio_tokens",
            "completion_reasoning_tokens", "completion_accepted_prediction_tokens",
            "completion_rejected_prediction_tokens");

    /** A usage log's columns besides its request id, in the file's order. */
    public static final List<Column> LOGS = logs();

    private static List<Column> logs() {
        List<Column> columns = new ArrayList<>(List.of(
                column("created_at", "timestamptz", false),
                column("updated_at", "timestamptz", false),
                column("api_key_id", "bigint", true),
                column("project_id", "bigint", false),
                column("channel_id", "bigint", true),
                column("model_id", "text", false)));
        TOKENS.forEach(tokens -> columns.add(column(tokens, "bigint", false)));
        columns.addAll(List.of(
                column("source", "text", false),
                column("format", "text", false),
                column("total_cost", "double precision", true),
                column("cost_items", "jsonb", true),
                column("cost_price_reference_id", "text", true)));
        return List.copyOf(columns);
    }

    /** The column of {@code columns} named {@code name}. */
    public static Column named(List<Column> columns, String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no usage column " + name));
    }
}
