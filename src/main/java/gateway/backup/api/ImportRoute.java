package gateway.backup.api;

import gateway.backup.config.GatewayBackupConfig;
import gateway.backup.restore.RestoreException;
import gateway.backup.restore.RestoreOptions;
import gateway.backup.restore.RestoreService;
import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.File;
import java.nio.file.Path;

/**
 * {@code POST /api/backups/import}: the body is a backup file (plain or gzip). It is piped to a
 * temp file with backpressure (never held in memory), restored, and deleted; the answer is the
 * restore report as JSON. Owner only ({@code /api/*} policy).
 */
@ApplicationScoped
public class ImportRoute {

    private final RestoreService restores;
    private final Vertx vertx;
    private final long maxUploadSize;

    ImportRoute(RestoreService restores, Vertx vertx, GatewayBackupConfig config) {
        this.restores = restores;
        this.vertx = vertx;
        this.maxUploadSize = config.restore().maxUploadSize().asLongValue();
    }

    void register(@Observes Router router) {
        router.post("/api/backups/import").handler(this::importFile);
    }

    void importFile(RoutingContext ctx) {
        RestoreOptions options;
        try {
            options = RestoreOptionsParams.from(new QueryParameters(ctx.queryParams()));
        } catch (IllegalArgumentException e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        HttpServerRequest request = ctx.request();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && Long.parseLong(length) > maxUploadSize) {
            error(ctx, 413, tooLarge());
            return;
        }
        request.pause();
        String path = new File(System.getProperty("java.io.tmpdir"), "gateway-backup-import-" + java.util.UUID.randomUUID())
                .getPath();
        vertx.fileSystem().open(path, new OpenOptions().setCreateNew(true).setWrite(true), opened -> {
            if (opened.failed()) {
                Log.errorf(opened.cause(), "import: cannot create a temp file");
                error(ctx, 500, "Cannot store the upload; see the service log");
                return;
            }
            spool(ctx, opened.result(), path, options);
        });
    }

    /** Copies the body into the file, pausing the request while the file's write queue is full. */
    private void spool(RoutingContext ctx, AsyncFile file, String path, RestoreOptions options) {
        HttpServerRequest request = ctx.request();
        long[] received = {0};
        boolean[] failed = {false};
        request.handler(chunk -> {
            if (failed[0]) {
                return;
            }
            received[0] += chunk.length();
            if (received[0] > maxUploadSize) {
                failed[0] = true;
                file.close(closed -> vertx.fileSystem().delete(path, deleted -> error(ctx, 413, tooLarge())));
                return;
            }
            file.write(chunk);
            if (file.writeQueueFull()) {
                request.pause();
                file.drainHandler(drained -> request.resume());
            }
        });
        request.exceptionHandler(e -> {
            failed[0] = true;
            file.close(closed -> vertx.fileSystem().delete(path, deleted -> { }));
        });
        request.endHandler(end -> {
            if (failed[0]) {
                return;
            }
            file.close(closed -> restores.restore(Path.of(path), options)
                    .eventually(() -> vertx.fileSystem().delete(path, deleted -> { }))
                    .subscribe().with(
                            report -> ctx.response().setStatusCode(200)
                                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Json.encode(report)),
                            failure -> {
                                if (failure instanceof RestoreException) {
                                    error(ctx, 400, failure.getMessage());
                                } else {
                                    Log.errorf(failure, "import: restore failed");
                                    error(ctx, 500, "Restore failed and was rolled back; see the service log");
                                }
                            }));
        });
        request.resume();
    }

    private String tooLarge() {
        return "The file is larger than the upload limit of " + maxUploadSize
                + " bytes (gateway-backup.restore.max-upload-size)";
    }

    private static void error(RoutingContext ctx, int status, String message) {
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(new JsonObject().put("error", message).encode());
        }
    }
}
