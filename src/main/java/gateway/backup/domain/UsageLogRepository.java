package gateway.backup.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
public class UsageLogRepository implements PanacheRepository<UsageLog> {

    /**
     * Usage logs as backup JSON, in keyset batches, encoded like
     * {@link UsageRequestRepository#streamBackupJson} without payloads: null, zero and empty values
     * left out, reference names joined in, the API key only when {@code withApiKeys}.
     */
    public Multi<List<byte[]>> streamBackupJson(boolean withApiKeys, BatchLimit limit) {
        return streamBackupJson(withApiKeys, limit, Long.MIN_VALUE);
    }

    /** As above, only usage logs with ids above {@code after} (incremental backups). */
    public Multi<List<byte[]>> streamBackupJson(boolean withApiKeys, BatchLimit limit, long after) {
        // A usage log is a few hundred bytes: batches need no cut by bytes.
        return JsonRowBatches.streamEncoded(getSession(), backupFields(withApiKeys), backupFrom(withApiKeys),
                limit.rowsOnly(), after);
    }

    /** The fields of a usage log in a backup file, in the file's order. */
    static List<UsageJson.Field> backupFields(boolean withApiKeys) {
        List<UsageJson.Field> fields = new ArrayList<>(List.of(new UsageJson.Field("id", "l.id", "bigint", false),
                new UsageJson.Field("request_id", "l.request_id", "bigint", false)));
        for (UsageColumns.Column column : UsageColumns.LOGS) {
            if (withApiKeys || !column.name().equals("api_key_id")) {
                fields.add(column.exported("l"));
            }
        }
        fields.addAll(UsageColumns.referenceNames(withApiKeys));
        return fields;
    }

    /** The usage logs after {@code :after} in id order, with the tables their names come from. */
    static String backupFrom(boolean withApiKeys) {
        return "usage_logs l" + UsageColumns.referenceJoins("l", withApiKeys) + " where l.id > :after order by l.id";
    }
}
