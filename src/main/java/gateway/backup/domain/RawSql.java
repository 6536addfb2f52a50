package gateway.backup.domain;

import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.reactive.mutiny.impl.MutinySessionImpl;
import org.hibernate.reactive.pool.ReactiveConnection;

/**
 * Statements with positional parameters ({@code $1}, ...) on the connection of a session's
 * transaction, past Hibernate's native queries: for typed array parameters, which those cannot
 * bind, and for the many small statements of a stream of batches, where building a query plan
 * each time cost the service a third of its time on the event loop. Results come back on the
 * session's context, as Hibernate Reactive needs.
 */
public final class RawSql {

    private RawSql() {
    }

    private static Uni<ReactiveConnection> connection(Uni<Mutiny.Session> session) {
        return session.map(s -> ((MutinySessionImpl) s).getReactiveConnection());
    }

    /** Rows as arrays of column values (bytea as a Vert.x Buffer, arrays as Java arrays). */
    public static Uni<ReactiveConnection.Result> select(Uni<Mutiny.Session> session, String sql, Object... parameters) {
        return connection(session).chain(c -> Uni.createFrom().completionStage(() -> c.select(sql, parameters)));
    }

    /** The number of rows changed. */
    public static Uni<Integer> update(Uni<Mutiny.Session> session, String sql, Object... parameters) {
        return connection(session).chain(c -> Uni.createFrom().completionStage(() -> c.update(sql, parameters)));
    }
}
