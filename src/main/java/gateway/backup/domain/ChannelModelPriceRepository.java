package gateway.backup.domain;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ChannelModelPriceRepository implements LiveRowRepository<ChannelModelPrice> {

    public Uni<ChannelModelPrice> findLiveByChannelAndModel(long channelId, String modelId) {
        return find("channelId = ?1 and modelId = ?2 and deletedAt = ?3", channelId, modelId, SoftDeletableEntity.LIVE)
                .firstResult();
    }

    /** Any row, live or deleted: reference ids are unique across the whole table. */
    public Uni<ChannelModelPrice> findByReferenceId(String referenceId) {
        return find("referenceId", referenceId).firstResult();
    }
}
