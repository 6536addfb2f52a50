package gateway.backup.domain;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ProjectRepository implements LiveRowRepository<Project> {

    public Uni<Project> findLiveByName(String name) {
        return find("name = ?1 and deletedAt = ?2", name, SoftDeletableEntity.LIVE).singleResultOrNull();
    }
}
