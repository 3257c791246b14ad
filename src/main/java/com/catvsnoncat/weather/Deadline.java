package com.catvsnoncat.weather;

import com.catvsnoncat.bus.Deadlines;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** The moment by which one weather answer must be complete. */
final class Deadline {
    private final Vertx vertx;
    private final long endNanos;

    private Deadline(Vertx vertx, long endNanos) {
        this.vertx = vertx;
        this.endNanos = endNanos;
    }

    static Deadline in(Vertx vertx, long millis) {
        return new Deadline(vertx, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
    }

    long remainingMs() {
        long nanos = endNanos - System.nanoTime();
        return nanos <= 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos));
    }

    boolean expired() {
        return remainingMs() == 0;
    }

    /** {@code work}'s outcome, or a "timed out" failure if it is not complete by the deadline. */
    <T> Future<T> bound(Future<T> work) {
        if (!work.isComplete() && remainingMs() == 0) {
            return Future.failedFuture(UpstreamException.timedOut());
        }
        return Deadlines.within(vertx.getOrCreateContext(), remainingMs(), work, UpstreamException::timedOut);
    }
}
