package com.catvsnoncat.weather;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Supplier;

/**
 * An asynchronous semaphore: at most {@code permits} tasks run at once, the others wait in order without blocking
 * a thread. Not thread-safe: submit from one event loop (the verticle's); the tasks' futures complete there too.
 */
final class AsyncLimiter {
    private final int permits;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int running;

    AsyncLimiter(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be >= 1, got " + permits);
        }
        this.permits = permits;
    }

    /** Runs {@code task} once a permit is free; the permit is returned when the task's future completes. */
    <T> Future<T> submit(Supplier<Future<T>> task) {
        Promise<T> result = Promise.promise();
        Runnable start = () -> start(task).onComplete(outcome -> {
            release();
            result.handle(outcome);
        });
        if (running < permits) {
            running++;
            start.run();
        } else {
            waiting.add(start);
        }
        return result.future();
    }

    private static <T> Future<T> start(Supplier<Future<T>> task) {
        try {
            return task.get();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** Hands the permit straight to the next waiting task, if any. */
    private void release() {
        Runnable next = waiting.poll();
        if (next == null) {
            running--;
        } else {
            next.run();
        }
    }
}
