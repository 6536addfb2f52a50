package gateway.backup.domain;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ChannelModelPriceRepository implements LiveRowRepository<ChannelModelPrice> {

    /** The newest live price of a channel and model (the table does not force it to be unique). */
    public Uni<ChannelModelPrice> findLiveByChannelAndModel(long channelId, String modelId) {
        return list("channelId = ?1 and modelId = ?2 and deletedAt = ?3 order by id", channelId, modelId,
                SoftDeletableEntity.LIVE).map(prices -> prices.isEmpty() ? null : prices.get(prices.size() - 1));
    }

    /** Any row, live or deleted: reference ids are unique across the whole table. */
    public Uni<ChannelModelPrice> findByReferenceId(String referenceId) {
        return find("referenceId", referenceId).singleResultOrNull();
    }
}
