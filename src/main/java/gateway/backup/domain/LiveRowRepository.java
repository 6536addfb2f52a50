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

    /** The one row a natural key matches, or null (the unique indexes allow at most one). */
    default Uni<E> findUnique(String query, Object... params) {
        return list(query, params).map(rows -> rows.isEmpty() ? null : rows.get(0));
    }

    default Uni<E> findLiveById(long id) {
        return findUnique("id = ?1 and deletedAt = ?2", id, SoftDeletableEntity.LIVE);
    }

    default Uni<Long> countLive() {
        return count("deletedAt", SoftDeletableEntity.LIVE);
    }
}
