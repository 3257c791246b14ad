package com.catvsnoncat.gateway;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.concurrent.TimeUnit;

/**
 * Keeps request bodies moving: a body not whole within {@code http.bodyTimeoutMs}, or arriving slower than
 * {@code http.bodyMinBytesPerSecond} on average, gets 408 and its connection closed, which ends the request and
 * gives back its {@link BodyBudget} reservation. The idle timeout cannot do this: one byte now and then resets it.
 * Runs for every route that reads a body, whatever reads it; gRPC calls are held to the same rule
 * ({@link BudgetedGrpcRequest}).
 */
final class BodyPace implements Handler<RoutingContext> {
    /** How often a body in progress is looked at. */
    private static final long CHECK_EVERY_MS = 1000;
    /** No rate is judged before this: a slow start or a 100-continue round trip is not a slow body. */
    private static final long GRACE_MS = 5000;

    private final long timeoutMs;
    private final long minBytesPerSecond;

    BodyPace(long timeoutMs, long minBytesPerSecond) {
        this.timeoutMs = timeoutMs;
        this.minBytesPerSecond = minBytesPerSecond;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (ctx.request().isEnded()) {
            ctx.next();
            return;
        }
        long start = System.nanoTime();
        long timer = ctx.vertx().setPeriodic(checkEveryMs(), id -> check(ctx, start, id));
        ctx.addEndHandler(ended -> ctx.vertx().cancelTimer(timer));
        ctx.next();
    }

    /** How often a body in progress is looked at: every second, or sooner when the whole timeout is shorter. */
    long checkEveryMs() {
        return Math.min(CHECK_EVERY_MS, timeoutMs);
    }

    /**
     * What is wrong with a body begun at {@code startNanos} (System.nanoTime) of which {@code bytesRead} have come:
     * too late to be whole, or too slow on average once past the grace period; null when it is keeping up.
     */
    String problem(long startNanos, long bytesRead) {
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        if (elapsedMs >= timeoutMs) {
            return "the request body did not arrive whole within " + timeoutMs + " ms";
        }
        if (elapsedMs >= GRACE_MS && bytesRead * 1000 < minBytesPerSecond * elapsedMs) {
            return "the request body arrives slower than " + ErrorResponses.readableSize(minBytesPerSecond)
                    + " per second";
        }
        return null;
    }

    private void check(RoutingContext ctx, long start, long timer) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded() || ctx.response().ended()) {
            ctx.vertx().cancelTimer(timer);
            return;
        }
        String problem = problem(start, request.bytesRead());
        if (problem != null) {
            ctx.vertx().cancelTimer(timer);
            ctx.fail(new HttpException(HttpResponseStatus.REQUEST_TIMEOUT.code(), problem));
        }
    }
}
