package gateway.backup.domain;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * PostgreSQL advisory locks: one per restore transaction (freed by its commit or rollback), and one
 * per auto-backup run, held on a connection of its own for the whole run (freed by unlock or by
 * closing that connection). Callers own the keys.
 */
public final class AdvisoryLocks {

    private AdvisoryLocks() {
    }

    /** Takes the transaction's lock if free; false when another transaction holds it. */
    public static Uni<Boolean> tryTransactionLock(Mutiny.Session session, long key) {
        return session.createNativeQuery("select pg_try_advisory_xact_lock(" + key + ")", Boolean.class).getSingleResult();
    }

    /** Waits for the transaction's lock. */
    public static Uni<Void> transactionLock(Mutiny.Session session, long key) {
        return session.createNativeQuery("select 1 from pg_advisory_xact_lock(" + key + ")").getSingleResult().replaceWithVoid();
    }

    /** Takes the connection's lock: waits for it, or with {@code wait} false answers false when another holds it. */
    public static Uni<Boolean> sessionLock(SqlConnection connection, long key, boolean wait) {
        return connection.preparedQuery(wait ? "select 1 from pg_advisory_lock($1)" : "select pg_try_advisory_lock($1)")
                .execute(Tuple.of(key))
                .map(rows -> wait || rows.iterator().next().getBoolean(0));
    }

    public static Uni<Void> sessionUnlock(SqlConnection connection, long key) {
        return connection.preparedQuery("select pg_advisory_unlock($1)").execute(Tuple.of(key)).replaceWithVoid();
    }
}
