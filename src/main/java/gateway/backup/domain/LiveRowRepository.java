package gateway.backup.domain;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import java.util.List;

/** Finders shared by repositories of soft-deletable tables; deleted rows never match. */
public interface LiveRowRepository<E extends SoftDeletableEntity> extends PanacheRepository<E> {

    /** Live rows ordered by id. Only for the small configuration tables, never for usage. */
    default Uni<List<E>> listLive() {
        return list("deletedAt = ?1 order by id", SoftDeletableEntity.LIVE);
    }

    default Uni<E> findLiveById(long id) {
        return find("id = ?1 and deletedAt = ?2", id, SoftDeletableEntity.LIVE).singleResultOrNull();
    }

    default Uni<Long> countLive() {
        return count("deletedAt", SoftDeletableEntity.LIVE);
    }
}
