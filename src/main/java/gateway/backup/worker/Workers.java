package gateway.backup.worker;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import java.util.concurrent.Callable;

/** Blocking work (files, storage SDKs) off the event loop. */
public final class Workers {

    private Workers() {
    }

    /**
     * Runs {@code work} on a worker thread and hands its result back on {@code context}:
     * Hibernate Reactive and Vert.x need the caller's context for what follows. Whatever the work
     * throws, checked or not, reaches the caller unchanged (a StorageException stays one).
     */
    public static <T> Uni<T> blocking(Context context, Callable<T> work) {
        Uni<T> onWorker = Uni.createFrom().item(() -> {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new WorkFailed(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(WorkFailed.class).transform(Throwable::getCause);
        return context == null ? onWorker : onWorker.emitOn(command -> context.runOnContext(ignored -> command.run()));
    }

    /** Carries a checked exception out of the worker; unwrapped before the caller sees it. */
    private static final class WorkFailed extends RuntimeException {
        WorkFailed(Exception cause) {
            super(cause);
        }
    }
}
