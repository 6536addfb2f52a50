package gateway.backup.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
public class UsageLogRepository implements PanacheRepository<UsageLog> {

    /**
     * Usage logs as backup JSON, in keyset batches, built like
     * {@link UsageRequestRepository#streamBackupJson}: null, zero and empty values left out,
     * reference names joined in, the API key only when {@code withApiKeys}.
     */
    public Multi<List<byte[]>> streamBackupJson(boolean withApiKeys, BatchLimit limit) {
        return streamBackupJson(withApiKeys, limit, Long.MIN_VALUE);
    }

    /** As above, only usage logs with ids above {@code after} (incremental backups). */
    public Multi<List<byte[]>> streamBackupJson(boolean withApiKeys, BatchLimit limit, long after) {
        List<String> fields = new ArrayList<>(List.of("id", "l.id", "request_id", "l.request_id"));
        for (UsageColumns.Column column : UsageColumns.LOGS) {
            if (withApiKeys || !column.name().equals("api_key_id")) {
                fields.addAll(List.of(column.name(), column.exported("l")));
            }
        }
        fields.addAll(List.of("project_name", "nullif(p.name, '')", "channel_name", "nullif(c.name, '')"));
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
        return JsonRowBatches.stream(getSession(), sql, limit.rowsOnly(), after);
    }
}
