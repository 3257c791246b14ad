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

    private final boolean traced;

    /** @param traced whether Vert.x traces requests, and so whether their spans get the request id */
    RequestLogging(boolean traced) {
        this.traced = traced;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String id = idFor(ctx.request().getHeader(HEADER));
        ctx.put(CONTEXT_KEY, id);
        ctx.response().putHeader(HEADER, id);
        if (traced) {
            // The HTTP server's span, which Vert.x makes current.
            Span.current().setAttribute(Tracing.REQUEST_ID, id);
        }
        long start = System.nanoTime();
        ctx.addEndHandler(ended -> withRequestId(ctx, () -> logAccess(ctx, start, ended.succeeded())));
        ctx.next();
    }

    /** The id a request goes by: the one offered when it is a sane token, else a new one. */
    static String idFor(String offered) {
        return offered != null && SANE_ID.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
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
        return delivery(requestId(ctx), timeoutMs);
    }

    /** Event-bus options for a request made on behalf of the request with this id. */
    static DeliveryOptions delivery(String requestId, long timeoutMs) {
        return new DeliveryOptions().setSendTimeout(timeoutMs).addHeader(RequestIds.KEY, requestId);
    }

    /**
     * One line per request with the status actually sent, or {@code aborted} when the connection closed before the
     * answer was complete.
     */
    private static void logAccess(RoutingContext ctx, long start, boolean answered) {
        String path = printable(ctx.request().path());
        String status = answered ? Integer.toString(ctx.response().getStatusCode()) : "aborted";
        String millis = Milliseconds.ofNanos(System.nanoTime() - start, 1);
        String method = printable(ctx.request().method().name());
        // Probes and scrapes every few seconds would drown the interesting lines.
        if (path.startsWith("/health") || path.startsWith("/v2/health") || path.equals("/metrics")) {
            ACCESS.debug("{} {} {} {} ms", method, path, status, millis);
        } else {
            ACCESS.info("{} {} {} {} ms", method, path, status, millis);
        }
    }

    /** The access line of a gRPC call: its method and final status; the health calls at DEBUG like the routes. */
    static void logCall(String requestId, String method, String status, long startNanos, boolean health) {
        String millis = Milliseconds.ofNanos(System.nanoTime() - startNanos, 1);
        RequestIds.withRequestId(requestId, () -> {
            if (health) {
                ACCESS.debug("gRPC {} {} {} ms", method, status, millis);
            } else {
                ACCESS.info("gRPC {} {} {} ms", method, status, millis);
            }
        });
    }

    /**
     * Text from a request made safe for a log line: control characters (ESC, NUL, CR, LF...) and the backslash
     * become Java-style escapes (a backslash, "u" and four hex digits), so a path cannot forge log lines or drive a
     * terminal.
     */
    static String printable(String text) {
        if (text == null) {
            return "-";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean escaped = c < 0x20 || c >= 0x7f && c < 0xa0 || c == '\\';
            if (escaped && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (escaped) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }
}
