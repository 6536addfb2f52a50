package gateway.backup.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/** Small checks on request headers shared by the routes that take a body. */
final class Requests {

    private Requests() {
    }

    /** The Content-Length, null when absent; a malformed one is refused like an oversized one. */
    static Long contentLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return null;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The media type without parameters, lower case; empty when absent. */
    static String mediaType(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null) {
            return "";
        }
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Tells a client that sent {@code Expect: 100-continue} to send its body. curl sends it for uploads
     * over 1 MiB and, unanswered, waits a second before sending anyway. Called once the checks made
     * before any body byte (owner, declared size) have passed, so a body refused by them is never sent.
     */
    static void continueIfExpected(RoutingContext ctx) {
        String expect = ctx.request().getHeader(HttpHeaders.EXPECT);
        if (expect != null && expect.equalsIgnoreCase("100-continue")) {
            ctx.response().writeContinue();
        }
    }
}
