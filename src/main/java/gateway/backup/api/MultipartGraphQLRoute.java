package gateway.backup.api;

import gateway.backup.config.GatewayBackupConfig;
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
import java.nio.file.Path;
import java.util.List;

/**
 * The GraphQL multipart request spec on {@code POST /graphql}, as the gateway's admin UI sends
 * it: parts {@code operations}, {@code map} and the files. Files stream to the upload directory
 * (never held in memory) up to the size limit; each mapped variable gets an opaque token; the
 * request then continues to the GraphQL handler as a plain JSON request. Uploads are deleted
 * when the request ends. Also serves {@code /admin/graphql} as an alias of {@code /graphql}.
 */
@ApplicationScoped
public class MultipartGraphQLRoute {

    // After authentication (-200) and authorization (-100), before the GraphQL handler.
    static final int ORDER = -50;

    private final UploadRegistry uploads;
    private final long maxUploadSize;
    private final String uploadDirectory;
    private final long maxGraphQLRequestSize;

    MultipartGraphQLRoute(UploadRegistry uploads, GatewayBackupConfig config) {
        this.uploads = uploads;
        this.maxUploadSize = config.restore().maxUploadSize().asLongValue();
        this.uploadDirectory = config.restore().uploadDirectory();
        this.maxGraphQLRequestSize = config.graphql().maxRequestSize().asLongValue();
    }

    void register(@Observes Router router) {
        // Before authentication, so path rules see /graphql.
        router.route("/admin/graphql").order(-1000).handler(ctx -> ctx.reroute("/graphql"));
        router.post("/graphql").consumes("multipart/form-data").order(ORDER)
                .handler(BodyHandler.create(uploadDirectory).setBodyLimit(maxUploadSize)
                        .setDeleteUploadedFilesOnEnd(true).setMergeFormAttributes(false))
                .handler(this::toJsonRequest)
                .failureHandler(this::failure);
        // The HTTP body limit is the upload limit; other GraphQL requests are read into memory, so keep them small.
        router.post("/graphql").order(ORDER + 1).handler(this::checkPlainRequestSize);
    }

    private void toJsonRequest(RoutingContext ctx) {
        JsonObject operations;
        JsonObject map;
        try {
            operations = new JsonObject(required(ctx, "operations"));
            map = new JsonObject(required(ctx, "map"));
        } catch (DecodeException e) {
            error(ctx, 400, "Invalid multipart GraphQL request: operations and map must be JSON objects");
            return;
        } catch (IllegalArgumentException e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        List<FileUpload> files = ctx.fileUploads();
        for (String part : map.fieldNames()) {
            FileUpload file = files.stream().filter(f -> f.name().equals(part)).findFirst().orElse(null);
            if (file == null) {
                error(ctx, 400, "Invalid multipart GraphQL request: map names part \"" + part + "\" but no such file was sent");
                return;
            }
            Object paths = map.getValue(part);
            if (!(paths instanceof JsonArray targets) || targets.isEmpty()) {
                error(ctx, 400, "Invalid multipart GraphQL request: map." + part + " must be a list of variable paths");
                return;
            }
            String token = uploads.register(Path.of(file.uploadedFileName()));
            ctx.addEndHandler(ended -> uploads.forget(token));
            for (Object target : targets) {
                if (!(target instanceof String path) || !placeToken(operations, path, token)) {
                    error(ctx, 400, "Invalid multipart GraphQL request: map." + part
                            + " must point at variables (e.g. \"variables.file\")");
                    return;
                }
            }
        }
        Buffer json = operations.toBuffer();
        ctx.request().headers().set(HttpHeaders.CONTENT_TYPE, "application/json")
                .set(HttpHeaders.CONTENT_LENGTH, String.valueOf(json.length()));
        ((RoutingContextInternal) ctx).setBody(json);
        ctx.next();
    }

    private void checkPlainRequestSize(RoutingContext ctx) {
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && contentType.startsWith("multipart/form-data") || ctx.body().available()) {
            ctx.next();
            return;
        }
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null || Long.parseLong(length) > maxGraphQLRequestSize) {
            error(ctx, 413, "GraphQL requests need a Content-Length of at most " + maxGraphQLRequestSize
                    + " bytes (gateway-backup.graphql.max-request-size); send files as a multipart request");
        } else {
            ctx.next();
        }
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

    private void failure(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            error(ctx, 413, tooLarge());
        } else {
            ctx.next();
        }
    }

    private String tooLarge() {
        return "The upload is larger than the limit of " + maxUploadSize + " bytes (gateway-backup.restore.max-upload-size)";
    }

    private static void error(RoutingContext ctx, int status, String message) {
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(new JsonObject().put("errors", new JsonArray().add(new JsonObject().put("message", message))).encode());
        }
    }
}
