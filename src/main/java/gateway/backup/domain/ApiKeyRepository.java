package gateway.backup.domain;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ApiKeyRepository implements LiveRowRepository<ApiKey> {

    public Uni<ApiKey> findLiveByKey(String key) {
        return find("key = ?1 and deletedAt = ?2", key, SoftDeletableEntity.LIVE).singleResultOrNull();
    }
}
