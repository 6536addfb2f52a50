package gateway.backup.domain;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.List;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ChannelRepository implements LiveRowRepository<Channel> {

    public Uni<Channel> findLiveByName(String name) {
        return findUnique("name = ?1 and deletedAt = ?2", name, SoftDeletableEntity.LIVE);
    }

    /** Live channels as backup JSON, credentials included, in keyset batches. */
    public Multi<List<byte[]>> streamBackupJson(BatchLimit limit) {
        return JsonRowBatches.stream(getSession(), JsonRowBatches.liveRowsSql(
                "t.id, t.created_at, t.updated_at, t.type, t.base_url, t.name, t.status, t.credentials, "
                        + "t.disabled_api_keys, t.supported_models, t.manual_models, t.auto_sync_supported_models, "
                        + "t.auto_sync_model_pattern, t.tags, t.default_test_model, t.policies, t.settings, "
                        + "t.ordering_weight, t.error_message, t.remark, t.endpoints",
                "channels t"), limit);
    }
}
