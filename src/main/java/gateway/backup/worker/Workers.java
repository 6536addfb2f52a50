package gateway.backup.worker;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/** Blocking work (files, storage SDKs) off the event loop. */
public final class Workers {

    private Workers() {
    }

    /**
     * Runs {@code work} on a worker thread and hands its result back on {@code context}:
     * Hibernate Reactive and Vert.x need the caller's context for what follows.
     */
    public static <T> Uni<T> blocking(Context context, Callable<T> work) {
        return Uni.createFrom().item(() -> {
            try {
                return work.call();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .emitOn(command -> context.runOnContext(ignored -> command.run()));
    }
}
