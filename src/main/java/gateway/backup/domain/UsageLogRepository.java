package gateway.backup.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class UsageLogRepository implements PanacheRepository<UsageLog> {

    /**
     * Usage logs as backup JSON, in keyset batches, built like
     * {@link UsageRequestRepository#streamBackupJson}: null, zero and empty values left out,
     * reference names joined in, the API key only when {@code withApiKeys}.
     */
    public Multi<List<String>> streamBackupJson(boolean withApiKeys, int batchSize) {
        String sql = "select l.id, left(json_strip_nulls(json_build_object("
                + "'id', l.id, 'created_at', l.created_at, 'updated_at', l.updated_at, 'request_id', l.request_id, "
                + (withApiKeys ? "'api_key_id', nullif(l.api_key_id, 0), " : "")
                + "'project_id', nullif(l.project_id, 0), 'channel_id', nullif(l.channel_id, 0), "
                + "'model_id', nullif(l.model_id, ''), "
                + "'prompt_tokens', nullif(l.prompt_tokens, 0), 'completion_tokens', nullif(l.completion_tokens, 0), "
                + "'total_tokens', nullif(l.total_tokens, 0), 'prompt_audio_tokens', nullif(l.prompt_audio_tokens, 0), "
                + "'prompt_cached_tokens', nullif(l.prompt_cached_tokens, 0), "
                + "'prompt_write_cached_tokens', nullif(l.prompt_write_cached_tokens, 0), "
                + "'prompt_write_cached_tokens_5m', nullif(l.prompt_write_cached_tokens_5m, 0), "
                + "'prompt_write_cached_tokens_1h', nullif(l.prompt_write_cached_tokens_1h, 0), "
                + "'completion_audio_tokens', nullif(l.completion_audio_tokens, 0), "
                + "'completion_reasoning_tokens', nullif(l.completion_reasoning_tokens, 0), "
                + "'completion_accepted_prediction_tokens', nullif(l.completion_accepted_prediction_tokens, 0), "
                + "'completion_rejected_prediction_tokens', nullif(l.completion_rejected_prediction_tokens, 0), "
                + "'source', nullif(l.source, ''), 'format', nullif(l.format, ''), "
                + "'total_cost', nullif(l.total_cost, 0), 'cost_price_reference_id', nullif(l.cost_price_reference_id, ''), "
                + "'project_name', nullif(p.name, ''), 'channel_name', nullif(c.name, '')"
                + (withApiKeys ? ", 'api_key_key', nullif(k.key, '')" : "")
                + "))::text, -1)"
                + " || coalesce(',\"cost_items\":' || l.cost_items::text, '') || '}' from usage_logs l"
                + " left join projects p on p.id = l.project_id"
                + " left join channels c on c.id = l.channel_id"
                + (withApiKeys ? " left join api_keys k on k.id = l.api_key_id" : "")
                + " where l.id > :after order by l.id limit :limit";
        return JsonRowBatches.stream(getSession(), sql, batchSize);
    }
}
