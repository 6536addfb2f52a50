package gateway.backup.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
public class UsageRequestRepository implements PanacheRepository<UsageRequest> {

    /**
     * Requests as backup JSON, in keyset batches: null, zero, false and empty values left out,
     * reference names joined in (also of soft-deleted projects and channels, so restore can match
     * fingerprints), the API key's value and id only when {@code withApiKeys}, the payload columns
     * (as stored) only when {@code withPayloads}. Without payloads the service encodes each row
     * from its typed columns ({@link UsageJson}); with them PostgreSQL builds each row, since the
     * payloads, written as stored, are most of the bytes and batches are cut by their size.
     */
    public Multi<List<byte[]>> streamBackupJson(boolean withApiKeys, boolean withPayloads, BatchLimit limit) {
        return streamBackupJson(withApiKeys, withPayloads, limit, Long.MIN_VALUE);
    }

    /** As above, only requests with ids above {@code after} (incremental backups). */
    public Multi<List<byte[]>> streamBackupJson(boolean withApiKeys, boolean withPayloads, BatchLimit limit, long after) {
        List<UsageJson.Field> fields = backupFields(withApiKeys, withPayloads);
        String from = backupFrom(withApiKeys);
        return withPayloads
                ? JsonRowBatches.stream(getSession(), UsageJson.builtByPostgres(fields, from), limit, after)
                // Without payloads a request is a few hundred bytes: batches need no cut by bytes.
                : JsonRowBatches.streamEncoded(getSession(), fields, from, limit.rowsOnly(), after);
    }

    /** The fields of a request in a backup file, in the file's order. */
    static List<UsageJson.Field> backupFields(boolean withApiKeys, boolean withPayloads) {
        List<UsageJson.Field> fields = new ArrayList<>(List.of(new UsageJson.Field("id", "r.id", "bigint", false)));
        for (UsageColumns.Column column : UsageColumns.REQUESTS) {
            if (withApiKeys || !column.name().equals("api_key_id")) {
                fields.add(column.exported("r"));
            }
        }
        fields.addAll(UsageColumns.referenceNames(withApiKeys));
        if (withPayloads) {
            UsageColumns.REQUEST_PAYLOADS.forEach(column -> fields.add(column.exported("r")));
        }
        return fields;
    }

    /** The requests after {@code :after} in id order, with the tables their names come from. */
    static String backupFrom(boolean withApiKeys) {
        return "requests r" + UsageColumns.referenceJoins("r", withApiKeys) + " where r.id > :after order by r.id";
    }
}
