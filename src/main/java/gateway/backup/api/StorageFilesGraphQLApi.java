package gateway.backup.api;

import gateway.backup.config.GatewayBackupConfig;
import gateway.backup.job.Job;
import gateway.backup.job.JobKind;
import gateway.backup.job.JobRegistry;
import gateway.backup.restore.RestoreException;
import gateway.backup.restore.RestoreService;
import gateway.backup.restore.Spool;
import gateway.backup.security.Owner;
import gateway.backup.storage.BackupStorage;
import gateway.backup.storage.StorageException;
import gateway.backup.storage.StoredFile;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.GraphQLException;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

/**
 * The backup files in a data storage: list, restore one without downloading it, delete one.
 * Only names of backup files ({@link BackupFileNames}) are accepted, checked before the storage
 * is touched. Owner only.
 */
@GraphQLApi
public class StorageFilesGraphQLApi {

    @Inject
    Owner owner;

    @Inject
    StorageAccess storages;

    @Inject
    RestoreService restores;

    @Inject
    JobRegistry jobs;

    @Inject
    Spool spool;

    @Inject
    GatewayBackupConfig config;

    BackupFileNames names() {
        return new BackupFileNames(config.autoBackup().filePrefix());
    }

    @Query("backupFiles")
    @Description("The backup files in a data storage, newest first; other files there are left out.")
    public Uni<@NonNull List<@NonNull BackupFile>> backupFiles(@Name("dataStorageID") int dataStorageId) {
        owner.require();
        BackupFileNames names = names();
        return storages.withStorage(dataStorageId, storage -> storage.list(names.prefix()).stream()
                        .filter(file -> names.isBackup(file.name()))
                        .sorted(Comparator.comparing(StoredFile::modifiedAt).thenComparing(StoredFile::name).reversed())
                        .map(BackupFile::of)
                        .toList())
                .onFailure(StorageException.class).transform(e -> new GraphQLException(e.getMessage()));
    }

    @Mutation("restoreFromStorage")
    @Description("Restores a backup file straight from a data storage, all or nothing, with the same report as restore.")
    public Uni<@NonNull RestorePayload> restoreFromStorage(@Name("dataStorageID") int dataStorageId,
            @NonNull @Name("name") String name, @NonNull @Name("input") RestoreOptionsInput input) {
        owner.require();
        try {
            names().require(name, dataStorageId);
        } catch (StorageException e) {
            return Uni.createFrom().item(RestorePayload.of(false, e.getMessage(), null));
        }
        return RestoreGraphQLApi.restoreAsJob(jobs, JobKind.RESTORE_FROM_STORAGE, job -> {
            job.phase("copying " + name + " from data storage " + dataStorageId);
            return storages.withStorage(dataStorageId, storage -> copyToSpool(storage, name, job))
                    .chain(file -> restores.restore(file, input.toOptions(), job)
                            .eventually(() -> StorageAccess.blocking(() -> {
                                spool.delete(file);
                                return null;
                            })));
        });
    }

    @Mutation("deleteBackupFile")
    @Description("Deletes a backup file from a data storage; false when there was no such file. Other files cannot be deleted here.")
    public Uni<@NonNull Boolean> deleteBackupFile(@Name("dataStorageID") int dataStorageId, @NonNull @Name("name") String name) {
        owner.require();
        try {
            names().require(name, dataStorageId);
        } catch (StorageException e) {
            return Uni.createFrom().failure(new GraphQLException(e.getMessage()));
        }
        return storages.withStorage(dataStorageId, storage -> {
            if (storage.stat(name).isEmpty()) {
                return false;
            }
            storage.delete(name);
            Log.infof("storage files: deleted %s from %s", name, storage.describe());
            return true;
        }).onFailure(StorageException.class).transform(e -> new GraphQLException(e.getMessage()));
    }

    /**
     * Copies a stored file into a new private spool file, counted against the upload and spool
     * limits while copying (the restore reads sections in dependency order, so it needs the file
     * on disk). Blocking. The caller deletes the file with {@link Spool#delete}.
     */
    private Path copyToSpool(BackupStorage storage, String name, Job job) throws IOException {
        long maxSize = config.restore().maxUploadSize().asLongValue();
        Optional<StoredFile> stored = storage.stat(name);
        if (stored.isEmpty()) {
            throw new StorageException("No file " + name + " in " + storage.describe() + "; backupFiles lists the files");
        }
        if (stored.get().size() > maxSize) {
            throw new RestoreException("The file " + name + " (" + stored.get().size() + " bytes) is larger than the upload limit of "
                    + maxSize + " bytes (gateway-backup.restore.max-upload-size)");
        }
        Path file = spool.newFile("storage-");
        long copied = 0;
        boolean done = false;
        byte[] chunk = new byte[64 * 1024];
        try (InputStream in = storage.open(name); OutputStream out = Files.newOutputStream(file)) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (copied + n > maxSize) {
                    throw new RestoreException("The file " + name + " is larger than the upload limit of " + maxSize
                            + " bytes (gateway-backup.restore.max-upload-size)");
                }
                if (!spool.tryReserve(n)) {
                    throw new RestoreException(spool.full());
                }
                copied += n;
                out.write(chunk, 0, n);
                job.bytes(copied);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(file);
                spool.release(copied);
            }
        }
        Log.infof("storage files: copied %s (%d bytes) from %s to the spool", name, copied, storage.describe());
        return file;
    }
}
