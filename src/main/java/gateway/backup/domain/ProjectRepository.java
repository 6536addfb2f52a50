package gateway.backup.domain;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.List;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ProjectRepository implements LiveRowRepository<Project> {

    public Uni<Project> findLiveByName(String name) {
        return findUnique("name = ?1 and deletedAt = ?2", name, SoftDeletableEntity.LIVE);
    }

    /** Live projects among {@code names}; those not found are not in the list. */
    public Uni<List<NameId>> findLiveIdsByName(Collection<String> names) {
        return NameId.select(getSession(), "select name, id from projects where deleted_at = 0 and name = any($1::text[])",
                NameId.names(names));
    }

    /** Live projects among {@code ids}, with their names. */
    public Uni<List<NameId>> findLiveNamesById(Collection<Long> ids) {
        return NameId.select(getSession(), "select name, id from projects where deleted_at = 0 and id = any($1::bigint[])",
                NameId.ids(ids));
    }

    /** Live projects as backup JSON (every column by its gateway name), in keyset batches. */
    public Multi<List<byte[]>> streamBackupJson(BatchLimit limit) {
        return JsonRowBatches.stream(getSession(), JsonRowBatches.liveRowsSql(
                "t.id, t.created_at, t.updated_at, t.name, t.description, t.status, t.profiles", "projects t"),
                limit);
    }
}
