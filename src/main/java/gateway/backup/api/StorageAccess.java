package gateway.backup.api;

import gateway.backup.domain.DataStorage;
import gateway.backup.domain.DataStorageRepository;
import gateway.backup.storage.BackupStorage;
import gateway.backup.storage.StorageException;
import gateway.backup.storage.Storages;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Finds a live {@code data_storages} row and runs blocking work against its storage on a worker
 * thread (storage clients block: files, HTTP SDKs), handing the result back on the caller's
 * Vert.x context.
 */
@ApplicationScoped
public class StorageAccess {

    private final DataStorageRepository rows;

    StorageAccess(DataStorageRepository rows) {
        this.rows = rows;
    }

    /** Blocking work against an open storage. */
    interface StorageWork<T> {
        T run(BackupStorage storage) throws Exception;
    }

    /** The live row, or a {@link StorageException} naming the id. */
    Uni<DataStorage> row(int id) {
        return Panache.withSession(() -> rows.findLiveById(id))
                .onItem().ifNull().failWith(() -> new StorageException("No data storage " + id
                        + " (or it was deleted); dataStorages lists the storages"));
    }

    /** Opens the row's storage, runs {@code work} on a worker, closes the storage. */
    <T> Uni<T> withStorage(int id, StorageWork<T> work) {
        return row(id).chain(row -> blocking(() -> {
            try (BackupStorage storage = Storages.open(row)) {
                return work.run(storage);
            }
        }));
    }

    /** Blocking work on a worker thread; the result comes back on the caller's Vert.x context. */
    static <T> Uni<T> blocking(Callable<T> work) {
        Context context = Vertx.currentContext();
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

    interface Callable<T> {
        T call() throws Exception;
    }

    /** Carries a checked exception out of a worker; unwrapped before the caller sees it. */
    private static final class WorkFailed extends RuntimeException {
        WorkFailed(Exception cause) {
            super(cause);
        }
    }
}
