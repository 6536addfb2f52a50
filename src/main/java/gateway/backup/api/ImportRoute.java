package gateway.backup.api;

import gateway.backup.config.GatewayBackupConfig;
import gateway.backup.restore.RestoreException;
import gateway.backup.restore.RestoreOptions;
import gateway.backup.restore.BackupVerifier;
import gateway.backup.restore.RestoreService;
import gateway.backup.restore.VerifyReport;
import gateway.backup.restore.Spool;
import gateway.backup.job.Job;
import gateway.backup.job.JobKind;
import gateway.backup.job.JobRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /api/backups/import}: the body is a backup file (plain or gzip). It is piped to a
 * spool file with backpressure (never held in memory), restored, and deleted; the answer is the
 * restore report as JSON. {@code POST /api/backups/verify} spools the same way and answers a
 * VerifyReport, writing nothing. Owner only ({@code /api/*} policy, checked before the body is read).
 */
@ApplicationScoped
public class ImportRoute {

    private final RestoreService restores;
    private final BackupVerifier verifier;
    private final Spool spool;
    private final Vertx vertx;
    private final long maxUploadSize;

    private final JobRegistry jobs;

    ImportRoute(RestoreService restores, BackupVerifier verifier, Spool spool, Vertx vertx, GatewayBackupConfig config,
            JobRegistry jobs) {
        this.restores = restores;
        this.verifier = verifier;
        this.jobs = jobs;
        this.spool = spool;
        this.vertx = vertx;
        this.maxUploadSize = config.restore().maxUploadSize().asLongValue();
    }

    void register(@Observes Router router) {
        router.post("/api/backups/import").handler(this::importFile);
        router.post("/api/backups/verify").handler(this::verifyFile);
    }

    /** {@code POST /api/backups/verify}: the body spooled like an import, then read whole and counted; nothing is written. */
    void verifyFile(RoutingContext ctx) {
        spoolBody(ctx, null);
    }

    void importFile(RoutingContext ctx) {
        RestoreOptions options;
        try {
            options = new QueryParameters(ctx.queryParams()).bind(RestoreOptionsInput.class).toOptions();
        } catch (IllegalArgumentException e) {
            HttpErrors.answer(ctx, 400, e.getMessage());
            return;
        }
        spoolBody(ctx, options);
    }

    /** Spools the body, then restores it with {@code options}, or verifies it when they are null. */
    private void spoolBody(RoutingContext ctx, RestoreOptions options) {
        HttpServerRequest request = ctx.request();
        Long length = Requests.contentLength(request);
        if (length != null && length > maxUploadSize) {
            HttpErrors.answer(ctx, 413, HttpErrors.uploadTooLarge(maxUploadSize));
            return;
        }
        request.pause();
        Requests.continueIfExpected(ctx);
        Job job = jobs.start(JobKind.IMPORT);
        job.phase("receiving the file");
        ctx.response().putHeader(ExportRoute.JOB_ID_HEADER, job.id());
        String path = spool.directory().resolve("import-" + UUID.randomUUID() + ".tmp").toString();
        OpenOptions privateFile = new OpenOptions().setCreateNew(true).setWrite(true).setPerms("rw-------");
        vertx.fileSystem().open(path, privateFile, opened -> {
            if (opened.failed()) {
                Log.errorf(opened.cause(), "import: cannot create a spool file");
                job.fail("Cannot store the upload; see the service log");
                HttpErrors.answer(ctx, 500, "Cannot store the upload; see the service log");
                return;
            }
            new Spooling(ctx, opened.result(), path, options, job).start();
        });
    }

    /**
     * One import: the body copied into a spool file (pausing the request while the file's write
     * queue is full), counted against the upload and spool limits, then decompressed if gzip,
     * restored and deleted. A client that goes away stops the copy or the decompression.
     */
    private final class Spooling {
        private final RoutingContext ctx;
        private final AsyncFile file;
        private final String path;
        private final RestoreOptions options;
        private final Job job;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private long received;
        private long reserved;
        private boolean failed;
        private boolean cleaned;

        Spooling(RoutingContext ctx, AsyncFile file, String path, RestoreOptions options, Job job) {
            this.ctx = ctx;
            this.job = job;
            this.file = file;
            this.path = path;
            this.options = options;
        }

        void start() {
            HttpServerRequest request = ctx.request();
            request.handler(this::chunk);
            request.exceptionHandler(e -> fail(0, null));

            ctx.response().closeHandler(closed -> {
                stopped.set(true);
                if (!request.isEnded()) {
                    fail(0, null);
                }
            });
            request.endHandler(end -> {
                if (!failed) {
                    Connections.keepOpenWhileWorking(ctx);
                    file.close(closed -> {
                        if (!failed) {
                            restore();
                        }
                    });
                }
            });
            request.resume();
        }

        private void chunk(io.vertx.core.buffer.Buffer chunk) {
            if (failed) {
                return;
            }
            received += chunk.length();
            if (received > maxUploadSize) {
                fail(413, HttpErrors.uploadTooLarge(maxUploadSize));
                return;
            }
            if (!spool.tryReserve(chunk.length())) {
                fail(507, spool.full());
                return;
            }
            reserved += chunk.length();
            job.bytes(received);
            file.write(chunk).onFailure(this::writeFailed);
            if (file.writeQueueFull()) {
                ctx.request().pause();
                file.drainHandler(drained -> ctx.request().resume());
            }
        }

        /** A failed write (a full disk): the file is incomplete, so nothing of it may be restored. */
        private void writeFailed(Throwable e) {
            Log.warnf("import: cannot write the spool file: %s", e.getMessage());
            fail(Spool.noSpace(e) ? 507 : 500, Spool.noSpace(e) ? spool.diskFull() : "Cannot store the upload; see the service log");
        }

        /** Stops reading, deletes the file, and answers unless the client is gone (status 0). */
        private void fail(int status, String message) {
            if (failed) {
                return;
            }
            failed = true;
            job.fail(status == 0 ? "Stopped: the client went away" : message);
            file.close(closed -> cleanUp(() -> {
                if (status != 0) {
                    HttpErrors.answer(ctx, status, message);
                }
            }));
        }

        private void cleanUp(Runnable then) {
            if (cleaned) {
                then.run();
                return;
            }
            cleaned = true;
            vertx.fileSystem().delete(path, deleted -> {
                spool.release(reserved);
                then.run();
            });
        }

        private void restore() {
            if (options == null) {
                verify();
                return;
            }
            // Decompression is blocking file I/O: on a worker, checking for a client gone between chunks.
            vertx.<Path>executeBlocking(() -> spool.plain(Path.of(path), stopped::get), false)
                    .onComplete(decompressed -> {
                        if (decompressed.failed()) {
                            job.fail(JobFailures.message(decompressed.cause()));
                            cleanUp(() -> answer(decompressed.cause()));
                            return;
                        }
                        Path plain = decompressed.result();
                        restores.restore(plain, options, job)
                                .eventually(() -> plain.toString().equals(path) ? Uni.createFrom().voidItem()
                                        : Uni.createFrom().completionStage(vertx.executeBlocking(() -> {
                                            spool.delete(plain);
                                            return null;
                                        }, false).toCompletionStage()).replaceWithVoid())
                                .subscribe().with(
                                        report -> {
                                            job.succeed(report.summary());
                                            cleanUp(() -> ctx.response().setStatusCode(200)
                                                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                                                    .end(Json.encode(report)));
                                        },
                                        failure -> {
                                            job.fail(JobFailures.message(failure));
                                            cleanUp(() -> answer(failure));
                                        });
                    });
        }

        /** Verifies the spooled file on a worker (blocking file reads), answering the VerifyReport. */
        private void verify() {
            vertx.<VerifyReport>executeBlocking(() -> verifier.verify(Path.of(path), null, stopped::get), false)
                    .onComplete(verified -> cleanUp(() -> {
                        if (verified.failed()) {
                            answer(verified.cause());
                        } else {
                            ctx.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                                    .end(Json.encode(verified.result()));
                        }
                    }));
        }

        private void answer(Throwable failure) {
            if (failure instanceof Spool.Stopped) {
                Log.infof("import: client went away, stopped");
            } else if (failure instanceof RestoreException) {
                HttpErrors.answer(ctx, 400, failure.getMessage());
            } else if (Spool.noSpace(failure)) {
                Log.warnf("import: the spool directory's disk is full");
                HttpErrors.answer(ctx, 507, spool.diskFull());
            } else {
                Log.errorf(failure, "import: restore failed");
                HttpErrors.answer(ctx, 500, "Restore failed and was rolled back; see the service log");
            }
        }
    }
}
