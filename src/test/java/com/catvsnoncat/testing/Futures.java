package com.catvsnoncat.testing;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;

/** Waiting for a Vert.x future from a test thread, with a bound so a lost reply fails the test instead of hanging. */
public final class Futures {
    private Futures() {
    }

    public static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
