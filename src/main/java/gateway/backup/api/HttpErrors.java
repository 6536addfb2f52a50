package gateway.backup.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The error answers of the Vert.x routes, and the messages more than one of them gives. */
final class HttpErrors {

    private HttpErrors() {
    }

    /** {@code {"error": message}}, the answer of the HTTP API's routes. */
    static void answer(RoutingContext ctx, int status, String message) {
        end(ctx, status, new JsonObject().put("error", message));
    }

    /** {@code {"errors": [{"message": message}]}}, a GraphQL answer (the multipart GraphQL route). */
    static void answerGraphQL(RoutingContext ctx, int status, String message) {
        end(ctx, status, new JsonObject().put("errors", new JsonArray().add(new JsonObject().put("message", message))));
    }

    static String uploadTooLarge(long limit) {
        return "The upload is larger than the limit of " + limit + " bytes (gateway-backup.restore.max-upload-size)";
    }

    private static void end(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        if (!ctx.request().isEnded()) {
            // The rest of the body will not be read: close rather than keep the connection in doubt.
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
    }
}
