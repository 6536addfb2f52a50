package gateway.backup.domain;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class SystemSettingRepository implements LiveRowRepository<SystemSetting> {

    public Uni<SystemSetting> findLiveByKey(String key) {
        return findUnique("key = ?1 and deletedAt = ?2", key, SoftDeletableEntity.LIVE);
    }
}
