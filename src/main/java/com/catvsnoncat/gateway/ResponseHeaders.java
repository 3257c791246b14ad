package com.catvsnoncat.gateway;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * Headers every response gets, API and page alike, set just before the headers are written so no handler can
 * forget them: the browser security headers (the page loads no inline script or style, so the policy needs no
 * 'unsafe-inline'), and no compression for content that is already compressed (pictures, fonts, archives), where
 * gzip only costs CPU.
 */
final class ResponseHeaders implements Handler<RoutingContext> {
    private final String contentSecurityPolicy;

    ResponseHeaders(String contentSecurityPolicy) {
        this.contentSecurityPolicy = contentSecurityPolicy;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.addHeadersEndHandler(ignored -> {
            MultiMap headers = ctx.response().headers();
            secure(headers, contentSecurityPolicy);
            if (alreadyCompressed(headers.get(HttpHeaders.CONTENT_TYPE))) {
                headers.set(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
            }
        });
        ctx.next();
    }

    /** The browser security headers, also for the answers given outside the router ({@link ProtocolChecks}). */
    static void secure(MultiMap headers, String contentSecurityPolicy) {
        headers.set("Content-Security-Policy", contentSecurityPolicy);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
    }

    static boolean alreadyCompressed(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("image/") && !type.startsWith("image/svg")
                || type.startsWith("font/woff") || type.startsWith("application/zip")
                || type.startsWith("application/gzip") || type.startsWith("application/octet-stream");
    }
}
