package com.catvsnoncat.gateway;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the memory that request bodies may hold at once, across every gateway instance of the process: each body
 * is capped at the body limit, but many large uploads together could still exhaust the heap before the
 * classifier's own bound applies. A request with a body reserves its Content-Length (the body limit when the
 * length is unknown) before anything is read and gives it back when its response ends or its connection closes;
 * when the budget is spent the answer is 503 with Retry-After at once.
 */
final class BodyBudget implements Handler<RoutingContext>, Shareable {
    static final String SPENT = "too many request bodies are being received at once; try again shortly";
    private static final String MAP = "catvsnoncat.gateway";
    private static final String KEY = "bodyBudget";

    private final AtomicLong available;
    private final long bodyLimitBytes;

    private BodyBudget(long budgetBytes, long bodyLimitBytes) {
        this.available = new AtomicLong(budgetBytes);
        this.bodyLimitBytes = bodyLimitBytes;
    }

    /** The process's one budget (created by the first gateway instance to ask). */
    static BodyBudget of(Vertx vertx, GatewayConfig settings) {
        LocalMap<String, BodyBudget> map = vertx.sharedData().getLocalMap(MAP);
        BodyBudget created = new BodyBudget(settings.bodyBudgetBytes(), settings.bodyLimitBytes());
        BodyBudget existing = map.putIfAbsent(KEY, created);
        return existing == null ? created : existing;
    }

    @Override
    public void handle(RoutingContext ctx) {
        long reserved = reservation(ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH));
        if (reserved > 0 && !tryTake(reserved)) {
            ctx.fail(new HttpException(HttpResponseStatus.SERVICE_UNAVAILABLE.code(), SPENT));
            return;
        }
        if (reserved > 0) {
            ctx.addEndHandler(ended -> giveBack(reserved));
        }
        ctx.next();
    }

    /** What a request may hold: its declared length up to the limit (an oversized one is refused later, 413). */
    private long reservation(String contentLength) {
        if (contentLength == null) {
            return bodyLimitBytes;
        }
        try {
            return Math.max(0, Math.min(Long.parseLong(contentLength.trim()), bodyLimitBytes));
        } catch (NumberFormatException e) {
            return bodyLimitBytes;
        }
    }

    /** Takes {@code bytes} from the budget if that much is left; whoever took them gives them back. */
    boolean tryTake(long bytes) {
        long before;
        do {
            before = available.get();
            if (before < bytes) {
                return false;
            }
        } while (!available.compareAndSet(before, before - bytes));
        return true;
    }

    void giveBack(long bytes) {
        available.addAndGet(bytes);
    }

    long availableBytes() {
        return available.get();
    }
}
