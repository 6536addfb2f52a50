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
        return streamBackupJson(withApiKeys, withPayloads, limit, Long.MIN_VALUE);
    }

    /** As above, only requests with ids above {@code after} (incremental backups). */
    public Multi<List<byte[]>> streamBackupJson(boolean withApiKeys, boolean withPayloads, BatchLimit limit, long after) {
        List<String> fields = new ArrayList<>(List.of("id", "r.id"));
        for (UsageColumns.Column column : UsageColumns.REQUESTS) {
            if (withApiKeys || !column.name().equals("api_key_id")) {
                fields.addAll(List.of(column.name(), column.exported("r")));
            }
        }
        fields.addAll(List.of("project_name", "nullif(p.name, '')", "channel_name", "nullif(c.name, '')"));
        if (withApiKeys) {
            fields.addAll(List.of("api_key_key", "nullif(k.key, '')"));
        }
        if (withPayloads) {
            UsageColumns.REQUEST_PAYLOADS.forEach(column -> fields.addAll(List.of(column.name(), column.exported("r"))));
        }
        String sql = "select r.id, " + JsonRowBatches.objectWithoutNulls(fields.toArray(String[]::new))
                + " from requests r"
                + " left join projects p on p.id = r.project_id"
                + " left join channels c on c.id = r.channel_id"
                + (withApiKeys ? " left join api_keys k on k.id = r.api_key_id" : "")
                + " where r.id > :after order by r.id limit :limit";
        // Without payloads a request is a few hundred bytes: batches need no cut by bytes.
        return JsonRowBatches.stream(getSession(), sql, withPayloads ? limit : limit.rowsOnly(), after);
    }
}
