package gateway.backup.domain;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.List;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ModelRepository implements LiveRowRepository<Model> {

    public Uni<Model> findLiveByDeveloperAndModelId(String developer, String modelId) {
        return findUnique("developer = ?1 and modelId = ?2 and deletedAt = ?3", developer, modelId, SoftDeletableEntity.LIVE);
    }

    /** Live models as backup JSON, in keyset batches. */
    public Multi<List<byte[]>> streamBackupJson(BatchLimit limit) {
        return JsonRowBatches.stream(getSession(), JsonRowBatches.liveRowsSql(
                "t.id, t.created_at, t.updated_at, t.developer, t.model_id, t.type, t.name, t.icon, t.\"group\", "
                        + "t.model_card, t.settings, t.status, t.remark",
                "models t"), limit);
    }
}
