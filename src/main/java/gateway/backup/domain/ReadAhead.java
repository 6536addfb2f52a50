package gateway.backup.domain;

import io.smallrye.mutiny.Uni;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads handed out one at a time, the next one started as soon as one is handed out (unless it was
 * the last): the next batch is read while the caller handles this one, with at most two in memory.
 * Used on one Vert.x context, so it needs no locking.
 */
public final class ReadAhead<T> {

    private final Function<T, Uni<T>> after;
    private final Predicate<T> more;
    private Uni<T> pending;

    /** {@code first}: the first read; {@code after}: the read that follows an item; {@code more}: whether one does. */
    public ReadAhead(Uni<T> first, Function<T, Uni<T>> after, Predicate<T> more) {
        this.after = after;
        this.more = more;
        this.pending = start(first);
    }

    private static <T> Uni<T> start(Uni<T> read) {
        Uni<T> started = read.memoize().indefinitely();
        started.subscribe().with(item -> { }, failure -> { }); // the failure reaches the caller of next()
        return started;
    }

    /** The read in flight; once it is handed out, the next one starts. */
    public Uni<T> next() {
        return pending.invoke(item -> {
            if (more.test(item)) {
                pending = start(after.apply(item));
            }
        });
    }

    /** Completes once the last read started has ended, whatever its outcome. */
    public Uni<Void> settled() {
        return pending.onItemOrFailure().transform((item, failure) -> null).replaceWithVoid();
    }
}
