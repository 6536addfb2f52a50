package gateway.backup.api;

import gateway.backup.backup.BackupService;
import gateway.backup.config.GatewayBackupConfig;
import gateway.backup.backup.BackupSink;
import gateway.backup.job.Job;
import gateway.backup.job.JobKind;
import gateway.backup.job.JobRegistry;
import gateway.backup.security.Owner;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.NonNull;

@GraphQLApi
public class BackupGraphQLApi {

    @Inject
    Owner owner;

    @Inject
    BackupService backups;

    @Inject
    GatewayBackupConfig config;

    @Inject
    JobRegistry jobs;

    @Mutation("backup")
    @Description("Backs up the selected data and returns the file inline in data, up to the inline size limit; "
            + "larger files come from GET /api/backups/export.")
    public Uni<@NonNull BackupPayload> backup(@NonNull BackupOptionsInput input) {
        owner.require();
        InlineSink sink = new InlineSink(config.backup().inlineMaxSize().asLongValue());
        Job job = jobs.start(JobKind.BACKUP);
        return backups.backup(input.toOptions(), sink, false, job)
                .invoke(summary -> job.succeed("Backup created: " + summary.rows()))
                .map(summary -> BackupPayload.of(true, sink.content(), "Backup created: " + summary.rows()))
                .onFailure().invoke(e -> job.fail(JobFailures.message(e)))
                .onFailure(InlineLimitExceeded.class).recoverWithItem(e -> BackupPayload.of(false, null, e.getMessage()))
                .onFailure().recoverWithItem(e -> {
                    Log.errorf(e, "backup failed");
                    return BackupPayload.of(false, null, "Backup failed; see the service log");
                })
                .invoke(payload -> payload.jobId = job.id());
    }

    static final class InlineLimitExceeded extends RuntimeException {
        InlineLimitExceeded(long limit) {
            super("The backup is larger than the inline limit of " + limit + " bytes "
                    + "(gateway-backup.backup.inline-max-size); download it from GET /api/backups/export instead");
        }
    }

    /** Collects the file in memory, failing as soon as it passes the limit. */
    static final class InlineSink implements BackupSink {
        private final long limit;
        private final Buffer content = Buffer.buffer();

        InlineSink(long limit) {
            this.limit = limit;
        }

        @Override
        public Uni<Void> write(Buffer chunk) {
            if (content.length() + (long) chunk.length() > limit) {
                return Uni.createFrom().failure(new InlineLimitExceeded(limit));
            }
            content.appendBuffer(chunk);
            return Uni.createFrom().voidItem();
        }

        String content() {
            return content.toString(StandardCharsets.UTF_8);
        }
    }
}
