package gateway.backup.domain;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ChannelRepository implements LiveRowRepository<Channel> {

    public Uni<Channel> findLiveByName(String name) {
        return find("name = ?1 and deletedAt = ?2", name, SoftDeletableEntity.LIVE).singleResultOrNull();
    }
}
