package gateway.backup.domain;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.List;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ApiKeyRepository implements LiveRowRepository<ApiKey> {

    public Uni<ApiKey> findLiveByKey(String key) {
        return findUnique("key = ?1 and deletedAt = ?2", key, SoftDeletableEntity.LIVE);
    }

    /** Any row, live or deleted: key values are unique across the whole table. */
    public Uni<ApiKey> findAnyByKey(String key) {
        return findUnique("key", key);
    }

    /** Live API keys among the key values {@code keys}: each found key's value and id. */
    public Uni<List<NameId>> findLiveIdsByKey(Collection<String> keys) {
        return NameId.select(getSession(), "select key, id from api_keys where deleted_at = 0 and key = any($1::text[])",
                NameId.names(keys));
    }

    /** Live API keys as backup JSON with their project's name, in keyset batches. */
    public Multi<List<byte[]>> streamBackupJson(BatchLimit limit) {
        return JsonRowBatches.stream(getSession(), JsonRowBatches.liveRowsSql(
                "t.id, t.created_at, t.updated_at, t.user_id, t.project_id, t.key, t.name, t.type, t.status, "
                        + "t.scopes, t.profiles, p.name as project_name",
                "api_keys t left join projects p on p.id = t.project_id"), limit);
    }
}
