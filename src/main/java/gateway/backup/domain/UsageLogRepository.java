package gateway.backup.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
public class UsageLogRepository implements PanacheRepository<UsageLog> {

    /** The token counters of a usage log, by column name. */
    public static final List<String> TOKEN_COLUMNS = List.of("prompt_tokens", "completion_tokens", "total_tokens",
            "prompt_audio_tokens", "prompt_cached_tokens", "prompt_write_cached_tokens",
            "prompt_write_cached_tokens_5m", "prompt_write_cached_tokens_1h", "completion_audio_tokens",
            "completion_reasoning_tokens", "completion_accepted_prediction_tokens",
            "completion_rejected_prediction_tokens");

    /**
     * Usage logs as backup JSON, in keyset batches, built like
     * {@link UsageRequestRepository#streamBackupJson}: null, zero and empty values left out,
     * reference names joined in, the API key only when {@code withApiKeys}.
     */
    public Multi<List<byte[]>> streamBackupJson(boolean withApiKeys, BatchLimit limit) {
        List<String> fields = new ArrayList<>(List.of("id", "l.id", "created_at", "l.created_at",
                "updated_at", "l.updated_at", "request_id", "l.request_id"));
        if (withApiKeys) {
            fields.addAll(List.of("api_key_id", "nullif(l.api_key_id, 0)"));
        }
        fields.addAll(List.of("project_id", "nullif(l.project_id, 0)", "channel_id", "nullif(l.channel_id, 0)",
                "model_id", "nullif(l.model_id, '')"));
        for (String tokens : TOKEN_COLUMNS) {
            fields.addAll(List.of(tokens, "nullif(l." + tokens + ", 0)"));
        }
        fields.addAll(List.of("source", "nullif(l.source, '')", "format", "nullif(l.format, '')",
                "total_cost", "nullif(l.total_cost, 0)", "cost_items", "l.cost_items::text",
                "cost_price_reference_id", "nullif(l.cost_price_reference_id, '')",
                "project_name", "nullif(p.name, '')", "channel_name", "nullif(c.name, '')"));
        if (withApiKeys) {
            fields.addAll(List.of("api_key_key", "nullif(k.key, '')"));
        }
        String sql = "select l.id, " + JsonRowBatches.objectWithoutNulls(fields.toArray(String[]::new))
                + " from usage_logs l"
                + " left join projects p on p.id = l.project_id"
                + " left join channels c on c.id = l.channel_id"
                + (withApiKeys ? " left join api_keys k on k.id = l.api_key_id" : "")
                + " where l.id > :after order by l.id limit :limit";
        // A usage log is a few hundred bytes: batches need no cut by bytes.
        return JsonRowBatches.stream(getSession(), sql, limit.rowsOnly());
    }
}
