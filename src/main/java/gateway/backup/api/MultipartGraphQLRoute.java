package gateway.backup.api;

import gateway.backup.config.GatewayBackupConfig;
import gateway.backup.restore.RestoreException;
import gateway.backup.restore.Spool;
import io.quarkus.logging.Log;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.impl.RoutingContextInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The GraphQL multipart request spec on {@code POST /graphql}, as the gateway's admin UI sends
 * it: parts {@code operations}, {@code map} and the files. Files stream to the spool directory
 * (never held in memory) up to the size limits, after the owner check; gzip files are
 * decompressed there within their own limit; each mapped variable gets an opaque token; the
 * request then continues to the GraphQL handler as a plain JSON request. Uploads are deleted
 * when the request ends. Also serves {@code /admin/graphql} as an alias of {@code /graphql}.
 */
@ApplicationScoped
public class MultipartGraphQLRoute {

    // After authentication (-200) and authorization (-100), before the GraphQL handler.
    static final int ORDER = -50;
    private static final String SHARE = "gateway-backup.spool-share";
    private static final String UPLOADED = "gateway-backup.uploaded";
    private static final String FAILED = "gateway-backup.failed";

    private final UploadRegistry uploads;
    private final Spool spool;
    private final Vertx vertx;
    private final long maxUploadSize;

    MultipartGraphQLRoute(UploadRegistry uploads, Spool spool, Vertx vertx, GatewayBackupConfig config) {
        this.uploads = uploads;
        this.spool = spool;
        this.vertx = vertx;
        this.maxUploadSize = config.restore().maxUploadSize().asLongValue();
    }

    void register(@Observes Router router) {
        // Before authentication, so path rules see /graphql.
        router.route("/admin/graphql").order(-1000).handler(ctx -> ctx.reroute("/graphql"));
        router.post("/graphql").consumes("multipart/form-data").order(ORDER)
                .handler(this::spoolUpload)
                .handler(this::toJsonRequest)
                .failureHandler(this::failure);
    }

    /**
     * Streams the parts to the spool directory (Vert.x' BodyHandler), within a share of the spool
     * cap taken before the first byte: the declared Content-Length, or for a chunked upload all the
     * room left up to the upload limit. The share is given back when the request ends.
     */
    private void spoolUpload(RoutingContext ctx) {
        Long length = Requests.contentLength(ctx.request());
        if (length != null && length > maxUploadSize) {
            HttpErrors.answerGraphQL(ctx, 413, HttpErrors.uploadTooLarge(maxUploadSize));
            return;
        }
        long share = length != null ? length : Math.min(maxUploadSize, spool.free());
        if (share <= 0 || !spool.tryReserve(share)) {
            HttpErrors.answerGraphQL(ctx, 507, spool.full());
            return;
        }
        long[] held = {share};
        ctx.addEndHandler(ended -> spool.release(held[0]));
        ctx.put(SHARE, held);
        if (length == null) {
            bodyToSpool(ctx, share);
            return;
        }
        // A declared upload larger than the disk's free space is refused before a byte is written:
        // once the disk fills mid-upload, the BodyHandler can only wait for the idle timeout.
        ctx.request().pause();
        vertx.fileSystem().fsProps(spool.directory().toString()).onComplete(props -> {
            if (props.succeeded() && props.result().usableSpace() < length) {
                Log.warnf("multipart restore: %d bytes declared, %d free on the spool directory's disk", length,
                        props.result().usableSpace());
                HttpErrors.answerGraphQL(ctx, 507, spool.diskFull());
            } else {
                bodyToSpool(ctx, share);
            }
        });
    }

    /** Vert.x' BodyHandler streams the parts to the spool directory (it resumes the request). */
    private void bodyToSpool(RoutingContext ctx, long share) {
        BodyHandler.create(spool.directory().toString()).setBodyLimit(share)
                .setDeleteUploadedFilesOnEnd(true).setMergeFormAttributes(false).handle(ctx);
    }

    private void toJsonRequest(RoutingContext ctx) {
        ctx.put(UPLOADED, true);
        // The upload is in: keep only what it took of its share of the spool cap.
        long[] held = ctx.get(SHARE);
        long taken = Math.min(held[0], ctx.request().bytesRead());
        spool.release(held[0] - taken);
        held[0] = taken;
        JsonObject operations;
        JsonObject map;
        try {
            operations = new JsonObject(required(ctx, "operations"));
            map = new JsonObject(required(ctx, "map"));
        } catch (DecodeException e) {
            HttpErrors.answerGraphQL(ctx, 400, "Invalid multipart GraphQL request: operations and map must be JSON objects");
            return;
        } catch (IllegalArgumentException e) {
            HttpErrors.answerGraphQL(ctx, 400, e.getMessage());
            return;
        }
        List<FileUpload> files = ctx.fileUploads();
        Map<String, List<String>> targetsByFile = new LinkedHashMap<>();
        for (String part : map.fieldNames()) {
            FileUpload file = files.stream().filter(f -> f.name().equals(part)).findFirst().orElse(null);
            if (file == null) {
                HttpErrors.answerGraphQL(ctx, 400, "Invalid multipart GraphQL request: map names part \"" + part + "\" but no such file was sent");
                return;
            }
            Object paths = map.getValue(part);
            if (!(paths instanceof JsonArray targets) || targets.isEmpty()) {
                HttpErrors.answerGraphQL(ctx, 400, "Invalid multipart GraphQL request: map." + part + " must be a list of variable paths");
                return;
            }
            List<String> variables = new ArrayList<>();
            for (Object target : targets) {
                if (target instanceof String path && targetsByFile.values().stream().anyMatch(v -> v.contains(path))) {
                    // Only one of them would be used: refuse rather than restore one silently.
                    HttpErrors.answerGraphQL(ctx, 400, "Invalid multipart GraphQL request: map points two files at " + path
                            + "; send one file per variable");
                    return;
                }
                if (!(target instanceof String path) || !placeToken(operations, path, "")) {
                    HttpErrors.answerGraphQL(ctx, 400, "Invalid multipart GraphQL request: map." + part
                            + " must point at variables (e.g. \"variables.file\")");
                    return;
                }
                variables.add(path);
            }
            targetsByFile.put(file.uploadedFileName(), variables);
        }
        // gzip files are decompressed into the spool now (blocking file I/O, so on a worker), within the
        // decompressed-size and spool caps; a client that goes away stops it.
        Connections.keepOpenWhileWorking(ctx);
        AtomicBoolean stopped = new AtomicBoolean();
        ctx.request().connection().closeHandler(closed -> stopped.set(true));
        vertx.<Map<String, Path>>executeBlocking(() -> {
            Map<String, Path> plain = new LinkedHashMap<>();
            try {
                for (String uploaded : targetsByFile.keySet()) {
                    // The spool directory is already 0700; the files are the service's alone too.
                    Files.setPosixFilePermissions(Path.of(uploaded), Spool.PRIVATE_FILE);
                    plain.put(uploaded, spool.plain(Path.of(uploaded), stopped::get));
                }
            } catch (RuntimeException | IOException e) {
                deleteDecompressed(plain);
                throw e;
            }
            return plain;
        }, false).onComplete(done -> {
            if (done.failed()) {
                if (done.cause() instanceof RestoreException) {
                    HttpErrors.answerGraphQL(ctx, 400, done.cause().getMessage());
                } else if (!(done.cause() instanceof Spool.Stopped)) {
                    ctx.fail(done.cause());
                }
                return;
            }
            Map<String, Path> plain = done.result();
            ctx.addEndHandler(ended -> vertx.executeBlocking(() -> {
                deleteDecompressed(plain);
                return null;
            }, false));
            plain.forEach((uploaded, file) -> {
                String token = uploads.register(file, Path.of(uploaded));
                ctx.addEndHandler(ended -> uploads.forget(token));
                targetsByFile.get(uploaded).forEach(path -> placeToken(operations, path, token));
            });
            Buffer json = operations.toBuffer();
            ctx.request().headers().set(HttpHeaders.CONTENT_TYPE, "application/json")
                    .set(HttpHeaders.CONTENT_LENGTH, String.valueOf(json.length()));
            ((RoutingContextInternal) ctx).setBody(json);
            ctx.next();
        });
    }

    /** The decompressed copies only; the uploads themselves are deleted by the BodyHandler. */
    private void deleteDecompressed(Map<String, Path> plain) {
        plain.forEach((uploaded, file) -> {
            if (!file.toString().equals(uploaded)) {
                spool.delete(file);
            }
        });
    }

    private static String required(RoutingContext ctx, String part) {
        String value = ctx.request().getFormAttribute(part);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Invalid multipart GraphQL request: the " + part + " part is missing");
        }
        return value;
    }

    /** Puts the token at a path like variables.file or variables.files.0; only under variables. */
    private static boolean placeToken(JsonObject operations, String path, String token) {
        String[] steps = path.split("\\.");
        if (steps.length < 2 || !steps[0].equals("variables") || !(operations.getValue("variables") instanceof JsonObject)) {
            return false;
        }
        Object node = operations.getJsonObject("variables");
        for (int i = 1; i < steps.length; i++) {
            boolean last = i == steps.length - 1;
            if (node instanceof JsonObject object && object.containsKey(steps[i])) {
                if (last) {
                    object.put(steps[i], token);
                    return true;
                }
                node = object.getValue(steps[i]);
            } else if (node instanceof JsonArray array && steps[i].matches("\\d+") && Integer.parseInt(steps[i]) < array.size()) {
                if (last) {
                    array.set(Integer.parseInt(steps[i]), token);
                    return true;
                }
                node = array.getValue(Integer.parseInt(steps[i]));
            } else {
                return false;
            }
        }
        return false;
    }

    /** The BodyHandler failed (too large, too many parts...): delete what it wrote, then answer. */
    private void failure(RoutingContext ctx) {
        if (ctx.get(FAILED) != null) {
            return; // the decoder may fail the request again while the first failure is answered
        }
        ctx.put(FAILED, true);
        Runnable answer = failureAnswer(ctx);
        // The parts are deleted before the answer, so a client that gets it finds nothing left behind
        // (the BodyHandler's own deletion runs only once the response has ended). A part it already
        // deleted is no failure.
        List<Future<Void>> deletions = new ArrayList<>();
        for (FileUpload file : ctx.fileUploads()) {
            deletions.add(vertx.fileSystem().delete(file.uploadedFileName()).recover(gone -> Future.succeededFuture()));
        }
        Future.join(deletions).onComplete(deleted -> answer.run());
    }

    /** The answer to the failure, decided now, while the context still holds it. */
    private Runnable failureAnswer(RoutingContext ctx) {
        long[] share = ctx.get(SHARE);
        if (Spool.noSpace(ctx.failure())) {
            Log.warnf("multipart restore: the spool directory's disk is full");
            return () -> HttpErrors.answerGraphQL(ctx, 507, spool.diskFull());
        } else if (share != null && ctx.statusCode() != 413 && ctx.get(UPLOADED) == null) {
            // The decoder gave up on the body (e.g. more parts than the limit of 256) and closed the file pipes.
            return () -> HttpErrors.answerGraphQL(ctx, 400, "Invalid multipart GraphQL request: the parts could not be read; "
                    + "send operations, map and one file");
        } else if (ctx.statusCode() == 413 && share != null && share[0] < maxUploadSize) {
            return () -> HttpErrors.answerGraphQL(ctx, 507, spool.full());
        } else if (ctx.statusCode() == 413) {
            return () -> HttpErrors.answerGraphQL(ctx, 413, HttpErrors.uploadTooLarge(maxUploadSize));
        }
        return ctx::next;
    }

}
