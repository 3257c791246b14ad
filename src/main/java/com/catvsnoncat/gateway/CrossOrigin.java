package com.catvsnoncat.gateway;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.net.URI;
import java.util.Arrays;

/**
 * CORS for the configured origins, around vertx-web's {@link CorsHandler}: a request whose Origin is the server's
 * own (a browser sends one with the page's own POSTs) is not cross-origin and passes whatever the list says; an
 * origin not listed gets 403 (not the 500 a bare CorsHandler failure would become); every answer carries
 * {@code Vary: Origin}, since it depends on that header and a cache must not give one origin's answer to another.
 */
final class CrossOrigin implements Handler<RoutingContext> {
    private static final String ORIGIN = "Origin";

    private final CorsHandler cors;

    CrossOrigin(CorsHandler cors) {
        this.cors = cors;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.addHeadersEndHandler(ignored -> {
            MultiMap headers = ctx.response().headers();
            boolean varies = headers.getAll(HttpHeaders.VARY).stream()
                    .flatMap(value -> Arrays.stream(value.split(",")))
                    .anyMatch(name -> name.trim().equalsIgnoreCase(ORIGIN));
            if (!varies) {
                headers.add(HttpHeaders.VARY, ORIGIN);
            }
        });
        if (sameOrigin(ctx.request().getHeader(HttpHeaders.ORIGIN), ctx.request().getHeader(HttpHeaders.HOST))) {
            ctx.next();
        } else {
            cors.handle(ctx);
        }
    }

    /** Whether the Origin names the host and port the request was sent to (the Host header). */
    static boolean sameOrigin(String origin, String host) {
        if (origin == null || host == null) {
            return false;
        }
        try {
            String authority = URI.create(origin).getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
