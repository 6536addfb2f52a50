package gateway.backup.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
public class UsageRequestRepository implements PanacheRepository<UsageRequest> {

    /**
     * Requests as backup JSON, in keyset batches. PostgreSQL builds each row: null, zero,
     * false and empty values left out, reference names joined in (also of soft-deleted
     * projects and channels, so restore can match fingerprints), the API key's value and id
     * only when {@code withApiKeys}, the payload columns (as stored) only when {@code withPayloads}.
     */
    public Multi<List<byte[]>> streamBackupJson(boolean withApiKeys, boolean withPayloads, BatchLimit limit) {
        List<String> fields = new ArrayList<>(List.of("id", "r.id", "created_at", "r.created_at",
                "updated_at", "r.updated_at"));
        if (withApiKeys) {
            fields.addAll(List.of("api_key_id", "nullif(r.api_key_id, 0)"));
        }
        fields.addAll(List.of("project_id", "nullif(r.project_id, 0)", "trace_id", "nullif(r.trace_id, 0)",
                "data_storage_id", "nullif(r.data_storage_id, 0)", "source", "nullif(r.source, '')",
                "model_id", "nullif(r.model_id, '')", "reasoning_effort", "nullif(r.reasoning_effort, '')",
                "format", "nullif(r.format, '')", "channel_id", "nullif(r.channel_id, 0)",
                "external_id", "nullif(r.external_id, '')", "status", "nullif(r.status, '')",
                "stream", "nullif(r.stream, false)", "client_ip", "nullif(r.client_ip, '')",
                "metrics_latency_ms", "nullif(r.metrics_latency_ms, 0)",
                "metrics_first_token_latency_ms", "nullif(r.metrics_first_token_latency_ms, 0)",
                "metrics_reasoning_duration_ms", "nullif(r.metrics_reasoning_duration_ms, 0)",
                "content_saved", "nullif(r.content_saved, false)", "content_storage_id", "nullif(r.content_storage_id, 0)",
                "content_storage_key", "nullif(r.content_storage_key, '')", "content_saved_at", "r.content_saved_at",
                "project_name", "nullif(p.name, '')", "channel_name", "nullif(c.name, '')"));
        if (withApiKeys) {
            fields.addAll(List.of("api_key_key", "nullif(k.key, '')"));
        }
        if (withPayloads) {
            fields.addAll(List.of("request_headers", "r.request_headers::text", "request_body", "r.request_body::text",
                    "response_body", "r.response_body::text", "response_chunks", "r.response_chunks::text"));
        }
        String sql = "select r.id, " + JsonRowBatches.objectWithoutNulls(fields.toArray(String[]::new))
                + " from requests r"
                + " left join projects p on p.id = r.project_id"
                + " left join channels c on c.id = r.channel_id"
                + (withApiKeys ? " left join api_keys k on k.id = r.api_key_id" : "")
                + " where r.id > :after order by r.id limit :limit";
        // Without payloads a request is a few hundred bytes: batches need no cut by bytes.
        return JsonRowBatches.stream(getSession(), sql, withPayloads ? limit : limit.rowsOnly());
    }
}
