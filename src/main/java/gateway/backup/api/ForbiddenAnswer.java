package gateway.backup.api;

import gateway.backup.security.Owner;
import io.quarkus.security.ForbiddenException;
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
        if (!(ctx.failure() instanceof ForbiddenException) || ctx.response().headWritten()) {
            ctx.next();
        } else if (ctx.normalizedPath().startsWith("/api/")) {
            HttpErrors.answer(ctx, 403, Owner.FORBIDDEN);
        } else {
            HttpErrors.answerGraphQL(ctx, 403, Owner.FORBIDDEN);
        }
    }
}
