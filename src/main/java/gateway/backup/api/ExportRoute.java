package gateway.backup.api;

import gateway.backup.backup.BackupOptions;
import gateway.backup.backup.BackupService;
import gateway.backup.backup.BackupSink;
import gateway.backup.job.Job;
import gateway.backup.job.JobKind;
import gateway.backup.job.JobRegistry;
import gateway.backup.config.GatewayBackupConfig;
import gateway.backup.crypto.AgeEncryption;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * {@code GET /api/backups/export}: streams a backup file of any size. Each chunk waits for
 * the response's write queue to drain, so a slow client slows the database reads, and a
 * client that goes away stops them. {@code encrypt=true} age-encrypts it to the configured
 * recipients. Owner only ({@code /api/*} policy).
 */
@ApplicationScoped
public class ExportRoute {

    static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss");

    /** Response header carrying the job's id, for backupJob and backupJobProgress. */
    static final String JOB_ID_HEADER = "X-Backup-Job-Id";

    private final BackupService backups;
    private final JobRegistry jobs;
    private final List<String> recipients;

    ExportRoute(BackupService backups, JobRegistry jobs, GatewayBackupConfig config) {
        this.backups = backups;
        this.jobs = jobs;
        this.recipients = AgeEncryption.recipients(config.encryption().recipients().orElse(List.of()));
    }

    void register(@Observes Router router) {
        router.get("/api/backups/export").handler(this::export);
    }

    void export(RoutingContext ctx) {
        BackupOptions options;
        boolean encrypt;
        try {
            QueryParameters params = new QueryParameters(ctx.queryParams());
            options = params.bind(BackupOptionsInput.class).toOptions();
            encrypt = params.flag("encrypt", false);
            if (encrypt && recipients.isEmpty()) {
                throw new IllegalArgumentException("encrypt=true needs age recipients: set GATEWAY_BACKUP_ENCRYPTION_RECIPIENTS "
                        + "(gateway-backup.encryption.recipients) to one or more age public keys (age1..., from age-keygen)");
            }
        } catch (IllegalArgumentException e) {
            HttpErrors.answer(ctx, 400, e.getMessage());
            return;
        }
        String compression = ctx.queryParams().get("compression");
        String acceptEncoding = ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING);
        boolean gzip = "gzip".equalsIgnoreCase(compression)
                || (compression == null && acceptEncoding != null && acceptEncoding.toLowerCase().contains("gzip"));
        String fileName = "axonhub-backup-" + LocalDateTime.now(ZoneOffset.UTC).format(FILE_TIME)
                + (gzip ? ".json.gz" : ".json") + (encrypt ? ".age" : "");

        Job job = jobs.start(JobKind.EXPORT);
        HttpServerResponse response = ctx.response()
                .setChunked(true)
                .putHeader(JOB_ID_HEADER, job.id())
                .putHeader(HttpHeaders.CONTENT_TYPE, encrypt ? "application/octet-stream" : gzip ? "application/gzip" : "application/json")
                .putHeader("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
        ResponseSink sink = new ResponseSink(response);
        backups.backup(options, sink, gzip, encrypt ? recipients : List.of(), job).subscribe().with(
                summary -> {
                    job.succeed("Backup streamed: " + summary.rows());
                    response.end();
                },
                failure -> {
                    job.fail(JobFailures.message(sink.clientGone ? new JobFailures.ClientGone() : failure));
                    if (sink.clientGone) {
                        Log.infof("export: client went away, stopped reading");
                        return;
                    }
                    // The cause's class and first line only: enough to tell a lost connection from a bug.
                    String cause = String.valueOf(failure.getMessage()).lines().findFirst().orElse("");
                    Log.warnf("export: failed (%s: %s)%s", failure.getClass().getSimpleName(),
                            cause.length() > 200 ? cause.substring(0, 200) : cause,
                            response.headWritten() ? "; transfer reset" : "");
                    if (!response.headWritten()) {
                        response.setStatusCode(500).setChunked(false)
                                .end(new JsonObject().put("error", "Backup failed; see the service log").encode());
                    } else {
                        // Headers are out: cut the connection so the client sees a broken file, not a short one.
                        response.reset();
                    }
                });
    }

    /** Writes chunks to the response, waiting for its write queue to drain. */
    static final class ResponseSink implements BackupSink {
        private final HttpServerResponse response;
        // Touched only on the response's event loop.
        private UniEmitter<? super Void> waitingForDrain;
        boolean clientGone;

        ResponseSink(HttpServerResponse response) {
            this.response = response;
            response.closeHandler(closed -> {
                clientGone = true;
                if (waitingForDrain != null) {
                    waitingForDrain.fail(new JobFailures.ClientGone());
                    waitingForDrain = null;
                }
            });
        }

        @Override
        public Uni<Void> write(Buffer chunk) {
            if (clientGone || response.closed()) {
                clientGone = true;
                return Uni.createFrom().failure(new JobFailures.ClientGone());
            }
            if (chunk.length() == 0) {
                return Uni.createFrom().voidItem();
            }
            return Uni.createFrom().emitter(emitter -> {
                response.write(chunk.getDelegate());
                if (response.writeQueueFull()) {
                    waitingForDrain = emitter;
                    response.drainHandler(drained -> {
                        waitingForDrain = null;
                        emitter.complete(null);
                    });
                } else {
                    emitter.complete(null);
                }
            });
        }
    }
}
