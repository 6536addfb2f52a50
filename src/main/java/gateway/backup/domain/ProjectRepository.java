package gateway.backup.domain;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.List;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ProjectRepository implements LiveRowRepository<Project> {

    public Uni<Project> findLiveByName(String name) {
        return findUnique("name = ?1 and deletedAt = ?2", name, SoftDeletableEntity.LIVE);
    }

    /** Live projects as backup JSON (every column by its gateway name), in keyset batches. */
    public Multi<List<byte[]>> streamBackupJson(BatchLimit limit) {
        return JsonRowBatches.stream(getSession(), JsonRowBatches.liveRowsSql(
                "t.id, t.created_at, t.updated_at, t.name, t.description, t.status, t.profiles", "projects t"),
                limit);
    }
}
