package gateway.backup.restore;

import io.smallrye.mutiny.Uni;
import java.util.function.Function;

/**
 * The usage batches sent and not answered yet. A batch's statement is sent as soon as it is built,
 * while PostgreSQL still runs the one before: the client pipelines them on the transaction's
 * connection (and encodes the next batch's arrays meanwhile), PostgreSQL runs them in the order sent.
 * Answers are handled in that order too, each after the one before is done. Used on one Vert.x
 * context, so it needs no locking.
 */
final class InFlight {

    private Uni<Void> last = Uni.createFrom().voidItem();

    /**
     * Sends a statement now, and handles its answer with {@code answered} once the batches before are
     * done. Returns the batch before's completion: the caller takes its next batch after it, so at most
     * two batches are in flight.
     */
    <T> Uni<Void> send(Uni<T> statement, Function<T, Uni<Void>> answered) {
        Uni<T> sent = started(statement);
        Uni<Void> before = last;
        Uni<T> inTurn = before.chain(() -> sent);
        last = started(inTurn.chain(answered::apply));
        return before;
    }

    /** Completes once every batch sent is done; fails with the first failure. */
    Uni<Void> settled() {
        return last;
    }

    /** Subscribed now (the statement goes out), its outcome kept for later subscribers. */
    private static <T> Uni<T> started(Uni<T> uni) {
        Uni<T> memo = uni.memoize().indefinitely();
        memo.subscribe().with(item -> { }, failure -> { }); // the failure reaches the caller of settled()
        return memo;
    }
}
