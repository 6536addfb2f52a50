package gateway.backup.domain;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.List;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ChannelRepository implements LiveRowRepository<Channel> {

    public Uni<Channel> findLiveByName(String name) {
        return findUnique("name = ?1 and deletedAt = ?2", name, SoftDeletableEntity.LIVE);
    }

    /** Live channels among {@code names}; those not found are not in the list. */
    public Uni<List<NameId>> findLiveIdsByName(Collection<String> names) {
        return NameId.select(getSession(), "select name, id from channels where deleted_at = 0 and name = any($1::text[])",
                NameId.names(names));
    }

    /** Live channels among {@code ids}, with their names. */
    public Uni<List<NameId>> findLiveNamesById(Collection<Long> ids) {
        return NameId.select(getSession(), "select name, id from channels where deleted_at = 0 and id = any($1::bigint[])",
                NameId.ids(ids));
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
