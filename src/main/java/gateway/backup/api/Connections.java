package gateway.backup.api;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;

/**
 * The idle timeout (quarkus.http.idle-timeout) cuts clients that stall in their headers or body.
 * A backup or restore, once its request is fully received, may work for longer than that
 * without a byte on the wire: its connection drops the timeout and closes after the answer.
 */
final class Connections {

    /** Vert.x' name for the connection's IdleStateHandler. */
    private static final String IDLE_HANDLER = "idle";

    private Connections() {
    }

    static void keepOpenWhileWorking(RoutingContext ctx) {
        if (ctx.request().connection() instanceof ConnectionBase connection) {
            ChannelPipeline pipeline = connection.channel().pipeline();
            if (pipeline.get(IDLE_HANDLER) != null) {
                pipeline.remove(IDLE_HANDLER);
            }
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
    }
}
