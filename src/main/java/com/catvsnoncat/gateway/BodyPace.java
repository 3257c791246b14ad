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
 * Runs for every route that reads a body, whatever reads it.
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
        long timer = ctx.vertx().setPeriodic(Math.min(CHECK_EVERY_MS, timeoutMs), id -> check(ctx, start, id));
        ctx.addEndHandler(ended -> ctx.vertx().cancelTimer(timer));
        ctx.next();
    }

    private void check(RoutingContext ctx, long start, long timer) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded() || ctx.response().ended()) {
            ctx.vertx().cancelTimer(timer);
            return;
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String problem = null;
        if (elapsedMs >= timeoutMs) {
            problem = "the request body did not arrive whole within " + timeoutMs + " ms";
        } else if (elapsedMs >= GRACE_MS && request.bytesRead() * 1000 < minBytesPerSecond * elapsedMs) {
            problem = "the request body arrives slower than " + ErrorResponses.readableSize(minBytesPerSecond)
                    + " per second";
        }
        if (problem != null) {
            ctx.vertx().cancelTimer(timer);
            ctx.fail(new HttpException(HttpResponseStatus.REQUEST_TIMEOUT.code(), problem));
        }
    }
}
