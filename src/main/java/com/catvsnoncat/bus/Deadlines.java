package com.catvsnoncat.bus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** A time limit on asynchronous work: Vert.x's {@link Future#timeout}, its timeout mapped to the caller's failure. */
public final class Deadlines {
    private Deadlines() {
    }

    /**
     * {@code work}'s outcome, or {@code late}'s failure when it is not complete within {@code millis}. The outcome is
     * delivered on {@code context}: work made without a context (a bare promise, {@code succeededFuture().compose})
     * would otherwise time out, and run whatever follows, on Netty's global executor thread.
     */
    public static <T> Future<T> within(Context context, long millis, Future<T> work,
                                       Supplier<? extends Throwable> late) {
        if (work.isComplete()) {
            return work;
        }
        return Future.fromCompletionStage(work.toCompletionStage(), context)
                .timeout(millis, TimeUnit.MILLISECONDS)
                // The work's own failure passes through; any other is the timeout's.
                .recover(failure -> Future.failedFuture(work.failed() && work.cause() == failure ? failure
                        : late.get()));
    }
}
