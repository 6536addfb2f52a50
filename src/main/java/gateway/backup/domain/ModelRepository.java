package gateway.backup.domain;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ModelRepository implements LiveRowRepository<Model> {

    public Uni<Model> findLiveByDeveloperAndModelId(String developer, String modelId) {
        return find("developer = ?1 and modelId = ?2 and deletedAt = ?3", developer, modelId, SoftDeletableEntity.LIVE)
                .singleResultOrNull();
    }
}
