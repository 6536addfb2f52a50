package gateway.backup.domain;

import io.smallrye.mutiny.Uni;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.reactive.pool.ReactiveConnection;

/**
 * Statements ({@link RawSql}'s kind) sent on the connection of a session's transaction without waiting
 * for the answers to those before: the Vert.x client queues them on the connection, PostgreSQL runs
 * them one after another in the order sent and the answers come back in that order. So PostgreSQL has
 * the next statement as soon as it is done with one, instead of waiting for the service to read the
 * answer and send the next. A statement must therefore not depend on the answer to an earlier one,
 * only on what it did. At most {@code depth} statements wait for their answers (each holds its batch);
 * sending another first waits for the oldest. Used on the session's Vert.x context only.
 */
public final class StatementPipeline {

    private final ReactiveConnection connection;
    private final int depth;
    private final Queue<CompletionStage<Void>> unanswered = new ArrayDeque<>();

    private StatementPipeline(ReactiveConnection connection, int depth) {
        this.connection = connection;
        this.depth = depth;
    }

    /** A pipeline on the connection of {@code session}'s transaction. */
    public static Uni<StatementPipeline> open(Uni<Mutiny.Session> session, int depth) {
        return RawSql.connection(session).map(connection -> new StatementPipeline(connection, depth));
    }

    /**
     * Sends {@code sql}; {@code answer} gets its rows once they arrive, on this context, in the order
     * sent. Completes once it is sent and no more than {@code depth} statements wait for their answers;
     * fails if an earlier statement failed.
     */
    public Uni<Void> select(String sql, Object[] parameters, Consumer<ReactiveConnection.Result> answer) {
        unanswered.add(connection.select(sql, parameters).thenAccept(answer));
        return withinDepth();
    }

    /** Waits for the oldest answers until no more than {@code depth} are awaited. */
    private Uni<Void> withinDepth() {
        return unanswered.size() <= depth ? Uni.createFrom().voidItem() : oldest().chain(this::withinDepth);
    }

    private Uni<Void> oldest() {
        return Uni.createFrom().completionStage(unanswered.remove());
    }

    /** Completes once every statement sent has its answer; fails with the first that failed. */
    public Uni<Void> drain() {
        return unanswered.isEmpty() ? Uni.createFrom().voidItem() : oldest().chain(this::drain);
    }

    /** Completes once every statement sent has its answer or failed (after a failure, before the rollback). */
    public Uni<Void> settled() {
        return drain().onFailure().recoverWithUni(failure -> settled());
    }
}
