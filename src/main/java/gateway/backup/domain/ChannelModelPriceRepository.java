package gateway.backup.domain;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.List;
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
        return findUnique("referenceId", referenceId);
    }

    /** Live prices of live channels as backup JSON: {channel_name, model_id, price, reference_id}. */
    public Multi<List<byte[]>> streamBackupJson(BatchLimit limit) {
        return JsonRowBatches.stream(getSession(), "select t.id, json_build_object('channel_name', c.name, "
                + "'model_id', t.model_id, 'price', t.price, 'reference_id', t.reference_id)::text "
                + "from channel_model_prices t join channels c on c.id = t.channel_id "
                + "where t.deleted_at = 0 and c.deleted_at = 0 and t.id > :after order by t.id limit :limit", limit);
    }
}
