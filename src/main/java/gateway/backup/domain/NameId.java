package gateway.backup.domain;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * A row of a name look-up: a live row's name (or API key value) and id. The restore resolves the
 * references of usage rows with these ({@link ProjectRepository}, {@link ChannelRepository},
 * {@link ApiKeyRepository}), a batch's names in one statement with a typed array parameter.
 */
public record NameId(String name, long id) {

    /** The row factory of every name look-up: {@code select <name>, id ...}. */
    static NameId of(Object[] row) {
        return new NameId((String) row[0], ((Number) row[1]).longValue());
    }

    /** Runs a look-up whose only parameter is {@code $1}, an array of names or ids (see {@link RawSql}). */
    static Uni<List<NameId>> select(Uni<Mutiny.Session> session, String sql, Object[] parameter) {
        return RawSql.select(session, sql, (Object) parameter).map(rows -> {
            List<NameId> found = new ArrayList<>();
            rows.forEachRemaining(row -> found.add(of(row)));
            return found;
        });
    }

    static String[] names(Collection<String> names) {
        return names.toArray(String[]::new);
    }

    static Long[] ids(Collection<Long> ids) {
        return ids.toArray(Long[]::new);
    }
}
