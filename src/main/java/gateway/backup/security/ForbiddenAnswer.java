package gateway.backup.security;

import io.quarkus.security.ForbiddenException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The HTTP permission policy's 403 with a body that says why, in the shape each path answers
 * errors with: GraphQL's {@code errors} list, the file endpoints' {@code error}. Quarkus answers it
 * with an empty body otherwise, which a GraphQL client shows as "non-JSON response". The request
 * body is still never read: the connection is closed instead.
 */
@Singleton
class ForbiddenAnswer {

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::answer);
    }

    private void answer(RoutingContext ctx) {
        if (!(ctx.failure() instanceof ForbiddenException) || ctx.response().ended() || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        JsonObject body = ctx.normalizedPath().startsWith("/api/")
                ? new JsonObject().put("error", Owner.FORBIDDEN)
                : new JsonObject().put("errors", new JsonArray().add(new JsonObject().put("message", Owner.FORBIDDEN)));
        if (!ctx.request().isEnded()) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        ctx.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
    }
}
