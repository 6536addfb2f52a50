package gateway.backup.api;

import gateway.backup.restore.BackupVerifier;
import gateway.backup.restore.RestoreException;
import gateway.backup.restore.VerifyReport;
import gateway.backup.schedule.StoredBackups;
import gateway.backup.security.Owner;
import gateway.backup.storage.StorageException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.GraphQLException;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

/** Verify operations (docs/graphql-api.md) and the chain restore of incremental backups. Owner only; one per request. */
@GraphQLApi
public class StoredBackupGraphQLApi {

    @Inject
    Owner owner;

    @Inject
    UploadRegistry uploads;

    @Inject
    BackupVerifier verifier;

    @Inject
    StoredBackups stored;

    @Mutation("verifyBackup")
    @Description("Reads an uploaded backup file whole (decrypting and decompressing as needed) and reports its "
            + "structure, version, rows per section and SHA-256; writes nothing.")
    public Uni<@NonNull VerifyReport> verifyBackup(@NonNull Upload file) {
        owner.require();
        var original = uploads.original(file);
        if (original.isEmpty()) {
            return Uni.createFrom().failure(new GraphQLException(
                    "No uploaded file: send the file as a GraphQL multipart request (parts operations, map, 0)"));
        }
        // Reading the file is blocking: on a worker.
        return Uni.createFrom().item(() -> {
            try {
                return verifier.verify(original.get(), null, () -> false);
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    @Query("verifyBackupFile")
    @Description("Reads a backup file of a data storage whole and checks it against the manifest beside it "
            + "(size and SHA-256); writes nothing.")
    public Uni<@NonNull VerifyReport> verifyBackupFile(@NonNull @Name("dataStorageID") Integer dataStorageID,
            @NonNull String name) {
        owner.require();
        return stored.verify(dataStorageID, name).onFailure().transform(StoredBackupGraphQLApi::clear);
    }

    @Mutation("restoreChainFromStorage")
    @Description("Restores a backup of a data storage with every backup it builds on (the last full backup, then "
            + "each incremental in order, up to the one named) in one transaction.")
    public Uni<@NonNull RestorePayload> restoreChainFromStorage(@NonNull @Name("dataStorageID") Integer dataStorageID,
            @NonNull String name, @NonNull RestoreOptionsInput input) {
        owner.require();
        return stored.restoreChain(dataStorageID, name, input.toOptions())
                .map(report -> RestorePayload.of(true, report.summary(), report))
                .onFailure(e -> clearMessage(e) != null).recoverWithItem(e -> RestorePayload.of(false, clearMessage(e), null))
                .onFailure().recoverWithItem(e -> {
                    Log.errorf(e, "chain restore failed");
                    return RestorePayload.of(false, "Restore failed and was rolled back; see the service log", null);
                });
    }

    private static Throwable clear(Throwable failure) {
        String message = clearMessage(failure);
        if (message == null) {
            Log.errorf(failure, "verify failed");
            return new GraphQLException("Verify failed; see the service log");
        }
        return new GraphQLException(message);
    }

    /** Our own messages (storage, restore input): safe to show; anything else is not. */
    private static String clearMessage(Throwable failure) {
        Throwable cause = failure instanceof UncheckedIOException ? failure.getCause() : failure;
        return cause instanceof StorageException || cause instanceof RestoreException ? cause.getMessage() : null;
    }
}
