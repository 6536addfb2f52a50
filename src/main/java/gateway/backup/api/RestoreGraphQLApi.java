package gateway.backup.api;

import gateway.backup.restore.RestoreException;
import gateway.backup.restore.RestoreService;
import gateway.backup.security.Owner;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.NonNull;

@GraphQLApi
public class RestoreGraphQLApi {

    @Inject
    Owner owner;

    @Inject
    RestoreService restores;

    @Inject
    UploadRegistry uploads;

    @Mutation("restore")
    @Description("Restores a backup file sent as a GraphQL multipart request, all or nothing.")
    public Uni<@NonNull RestorePayload> restore(@NonNull Upload file, @NonNull RestoreOptionsInput input) {
        owner.require();
        return uploads.file(file)
                .map(path -> restores.restore(path, input.toOptions())
                        .map(report -> RestorePayload.of(true, report.summary(), report))
                        .onFailure(RestoreException.class).recoverWithItem(e -> RestorePayload.of(false, e.getMessage(), null))
                        .onFailure().recoverWithItem(e -> {
                            Log.errorf(e, "restore failed");
                            return RestorePayload.of(false, "Restore failed and was rolled back; see the service log", null);
                        }))
                .orElseGet(() -> Uni.createFrom().item(RestorePayload.of(false,
                        "No uploaded file: send the file as a GraphQL multipart request (parts operations, map, 0)", null)));
    }
}
