package gateway.backup.schedule;

import gateway.backup.manifest.BackupManifest;
import gateway.backup.restore.BackupVerifier;
import gateway.backup.restore.RestoreOptions;
import gateway.backup.restore.RestoreReport;
import gateway.backup.restore.RestoreService;
import gateway.backup.restore.Spool;
import gateway.backup.restore.VerifyReport;
import gateway.backup.storage.BackupStorage;
import gateway.backup.storage.StorageException;
import gateway.backup.storage.Storages;
import gateway.backup.worker.Workers;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Backups already in a data storage: verified against their manifest, or restored as a chain.
 * Files are copied into the spool first (storage reads are blocking: on a worker thread, Workers) and
 * deleted from it when the operation ends.
 */
@ApplicationScoped
public class StoredBackups {

    private final AutoBackupSettingsStore store;
    private final Spool spool;
    private final BackupVerifier verifier;
    private final RestoreService restores;

    StoredBackups(AutoBackupSettingsStore store, Spool spool, BackupVerifier verifier, RestoreService restores) {
        this.store = store;
        this.spool = spool;
        this.verifier = verifier;
        this.restores = restores;
    }

    /** Reads {@code name} whole and checks it against the manifest beside it. Fails with a StorageException for a missing file. */
    public Uni<VerifyReport> verify(long dataStorageId, String name) {
        Context context = Vertx.currentContext();
        return store.storage(dataStorageId).chain(row -> Workers.blocking(context, () -> {
            try (BackupStorage storage = Storages.open(row)) {
                requireFile(storage, name);
                BackupManifest manifest = BackupChain.manifest(storage, name).orElse(null);
                Path copy;
                try (InputStream in = storage.open(name)) {
                    copy = spool.copyIn(in, "verify-");
                }
                try {
                    VerifyReport report = verifier.verify(copy, manifest, () -> false);
                    if (manifest == null) {
                        report.message += "; there is no manifest beside it to compare with";
                    }
                    return report;
                } finally {
                    spool.delete(copy);
                }
            }
        }));
    }

    /**
     * Restores {@code name} with the backups it builds on (its full backup, then each incremental up
     * to it) in one transaction; a full backup alone when it builds on nothing.
     */
    public Uni<RestoreReport> restoreChain(long dataStorageId, String name, RestoreOptions options) {
        Context context = Vertx.currentContext();
        List<Path> copies = new ArrayList<>();
        return store.storage(dataStorageId).chain(row -> Workers.blocking(context, () -> {
            try (BackupStorage storage = Storages.open(row)) {
                requireFile(storage, name);
                for (String file : BackupChain.files(storage, name)) {
                    try (InputStream in = storage.open(file)) {
                        copies.add(spool.copyIn(in, "chain-"));
                    }
                }
                return copies;
            }
        })).chain(files -> restores.restore(files, options, gateway.backup.job.JobProgress.NONE))
                .eventually(() -> Workers.blocking(context, () -> {
                    copies.forEach(spool::delete);
                    return null;
                }));
    }

    private static void requireFile(BackupStorage storage, String name) throws IOException {
        if (BackupManifest.isManifest(name)) {
            throw new StorageException(name + " is a manifest, not a backup; name the backup beside it");
        }
        if (storage.stat(name).isEmpty()) {
            throw new StorageException("There is no backup " + name + " in " + storage.describe());
        }
    }
}
