package com.catvsnoncat.gateway;

import com.catvsnoncat.bus.RequestIds;
import com.catvsnoncat.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} when it is a sane token, else a new UUID), returns it
 * in the response, passes it to the services as an event-bus header, and logs one access line per request.
 *
 * <p>The id is in the logging MDC only around each log call ({@link RequestIds}).
 */
final class RequestLogging implements Handler<RoutingContext> {
    static final String HEADER = "X-Request-Id";
    private static final String CONTEXT_KEY = "requestId";
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Logger ACCESS = LoggerFactory.getLogger("com.catvsnoncat.access");
    private static final double NANOS_PER_MILLI = 1e6;

    private final boolean traced;

    /** @param traced whether Vert.x traces requests, and so whether their spans get the request id */
    RequestLogging(boolean traced) {
        this.traced = traced;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String offered = ctx.request().getHeader(HEADER);
        String id = offered != null && SANE_ID.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
        ctx.put(CONTEXT_KEY, id);
        ctx.response().putHeader(HEADER, id);
        if (traced) {
            // The HTTP server's span, which Vert.x makes current.
            Span.current().setAttribute(Tracing.REQUEST_ID, id);
        }
        long start = System.nanoTime();
        ctx.addEndHandler(ended -> withRequestId(ctx, () -> logAccess(ctx, start)));
        ctx.next();
    }

    static String requestId(RoutingContext ctx) {
        String id = ctx.get(CONTEXT_KEY);
        return id == null ? "-" : id;
    }

    /** Runs a logging call with the request's id in the MDC. */
    static void withRequestId(RoutingContext ctx, Runnable logging) {
        RequestIds.withRequestId(requestId(ctx), logging);
    }

    /** Event-bus options for a request made on behalf of this HTTP request. */
    static DeliveryOptions delivery(RoutingContext ctx, long timeoutMs) {
        return new DeliveryOptions().setSendTimeout(timeoutMs).addHeader(RequestIds.KEY, requestId(ctx));
    }

    private static void logAccess(RoutingContext ctx, long start) {
        String path = ctx.request().path();
        int status = ctx.response().getStatusCode();
        double millis = (System.nanoTime() - start) / NANOS_PER_MILLI;
        // Probes and scrapes every few seconds would drown the interesting lines.
        if (path.startsWith("/health") || path.startsWith("/v2/health") || path.equals("/metrics")) {
            ACCESS.debug("{} {} {} {} ms", ctx.request().method(), path, status, String.format("%.1f", millis));
        } else {
            ACCESS.info("{} {} {} {} ms", ctx.request().method(), path, status, String.format("%.1f", millis));
        }
    }
}
