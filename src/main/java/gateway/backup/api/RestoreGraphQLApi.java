package gateway.backup.api;

import gateway.backup.job.Job;
import gateway.backup.job.JobKind;
import gateway.backup.job.JobRegistry;
import gateway.backup.restore.RestoreException;
import gateway.backup.restore.RestoreReport;
import gateway.backup.storage.StorageException;
import java.util.function.Function;
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

    @Inject
    JobRegistry jobs;

    @Mutation("restore")
    @Description("Restores a backup file sent as a GraphQL multipart request, all or nothing.")
    public Uni<@NonNull RestorePayload> restore(@NonNull Upload file, @NonNull RestoreOptionsInput input) {
        owner.require();
        return uploads.file(file)
                .map(path -> restoreAsJob(jobs, JobKind.RESTORE, job -> restores.restore(path, input.toOptions(), job)))
                .orElseGet(() -> Uni.createFrom().item(RestorePayload.of(false,
                        "No uploaded file: send the file as a GraphQL multipart request (parts operations, map, 0)", null)));
    }

    /** A restore as a job: the payload carries the job id; the job ends with the payload's message. */
    static Uni<RestorePayload> restoreAsJob(JobRegistry jobs, JobKind kind, Function<Job, Uni<RestoreReport>> restore) {
        Job job = jobs.start(kind);
        Uni<RestoreReport> running;
        try {
            running = restore.apply(job);
        } catch (RuntimeException e) {
            running = Uni.createFrom().failure(e);
        }
        return running
                .invoke(report -> job.succeed(report.summary()))
                .map(report -> RestorePayload.of(true, report.summary(), report))
                .onFailure().invoke(e -> job.fail(JobFailures.message(e)))
                .onFailure(RestoreException.class).recoverWithItem(e -> RestorePayload.of(false, e.getMessage(), null))
                .onFailure(StorageException.class).recoverWithItem(e -> RestorePayload.of(false, e.getMessage(), null))
                .onFailure().recoverWithItem(e -> {
                    Log.errorf(e, "restore failed");
                    return RestorePayload.of(false, "Restore failed and was rolled back; see the service log", null);
                })
                .map(payload -> payload.withJob(job.id()));
    }
}
