package com.catvsnoncat.classifier;

import com.catvsnoncat.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs CPU work on a worker pool with a bound on running plus waiting tasks. Vert.x worker pools queue without
 * limit, so under overload latency would grow until every request times out; here a task beyond the bound fails
 * at once with {@link Failure#UNAVAILABLE} (503), which a client or load balancer can retry elsewhere.
 */
public final class InferencePool {
    private final WorkerExecutor executor;
    private final int capacity;
    private final AtomicInteger pending = new AtomicInteger();

    /** @param capacity tasks running or waiting at most (the workers plus the allowed queue) */
    public InferencePool(WorkerExecutor executor, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.executor = executor;
        this.capacity = capacity;
    }

    /**
     * @return the task's result, or a {@link ClassifierFailure} with {@link Failure#UNAVAILABLE} when full. The
     * slot is freed when the task really ends, even if the caller gave up on it earlier (a deadline), so the bound
     * counts the work the CPUs actually have.
     */
    public <T> Future<T> submit(Callable<T> task) {
        if (pending.incrementAndGet() > capacity) {
            pending.decrementAndGet();
            return Future.failedFuture(new ClassifierFailure(Failure.UNAVAILABLE,
                    "the classifier is busy (" + capacity + " requests in progress); try again shortly"));
        }
        // Unordered: tasks of one verticle would otherwise run one at a time.
        return executor.executeBlocking(task, false).andThen(done -> pending.decrementAndGet());
    }

    /**
     * Work that continues requests already admitted by {@link #submit} (a network pass shared by several of them):
     * the same workers, not counted against the bound, which those requests have passed.
     */
    public <T> Future<T> continueWith(Callable<T> task) {
        return executor.executeBlocking(task, false);
    }

    /** Tasks running or waiting now. */
    public int pending() {
        return pending.get();
    }
}
