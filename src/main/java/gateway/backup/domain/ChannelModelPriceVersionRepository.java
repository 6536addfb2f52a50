package gateway.backup.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class ChannelModelPriceVersionRepository implements PanacheRepository<ChannelModelPriceVersion> {

    public Uni<List<ChannelModelPriceVersion>> listActiveForPrice(long channelModelPriceId) {
        return list("channelModelPriceId = ?1 and status = ?2", channelModelPriceId, ChannelModelPriceVersion.ACTIVE);
    }
}
