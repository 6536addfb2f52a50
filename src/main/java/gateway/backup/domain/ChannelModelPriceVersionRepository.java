package gateway.backup.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;

@ApplicationScoped
public class ChannelModelPriceVersionRepository implements PanacheRepository<ChannelModelPriceVersion> {

    /** Archives the price's active versions, ending them at {@code end}. */
    public Uni<Void> archiveActiveForPrice(long channelModelPriceId, OffsetDateTime end) {
        return list("channelModelPriceId = ?1 and status = ?2", channelModelPriceId, ChannelModelPriceVersion.ACTIVE)
                .invoke(active -> active.forEach(version -> {
                    version.status = ChannelModelPriceVersion.ARCHIVED;
                    version.effectiveEndAt = end;
                }))
                .replaceWithVoid();
    }
}
