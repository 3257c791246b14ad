package com.catvsnoncat.classifier;

import com.catvsnoncat.model.Model;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Timer;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Dynamic batching, as Triton does it: the decoded inputs of concurrent requests for the same model are gathered
 * into one network pass of at most {@code maxBatch} pictures, which runs when the batch is full or when the first
 * request in it has waited {@code maxQueueDelayMicros}. With a delay of 0 nothing waits for company: a batch runs as
 * soon as a worker is free for it, so batches form only while every worker is busy with a pass (the load at which
 * they pay), and a lone request goes straight through. Each request gets its own rows of the pass back. Decoding
 * stays per request (the caller's); only the network pass is shared, and a row of a batched pass is the same number
 * as the same row passed alone, since every picture is its own column of the matrix products.
 *
 * <p>Touched only on the classifier verticle's event loop (its pool tasks complete there), so it needs no lock.
 * Queues are per {@link Model} instance: a reloaded model starts its own, and a pass never mixes two models.
 */
final class DynamicBatcher {
    /**
     * One network pass's share for one request: its probabilities, the pass's size and time, its wait, and whether
     * it is the pass's first request (the one that counts the pass, so a pass is counted once however many share it).
     */
    record Share(double[] probabilities, int batchSize, long inferNanos, long queueNanos, boolean firstOfPass) {
    }

    /** Runs a network pass on the worker pool; its future completes on the verticle's event loop. */
    @FunctionalInterface
    interface PassRunner {
        <T> Future<T> run(Callable<T> pass);
    }

    private final Vertx vertx;
    private final PassRunner runner;
    private final ClassifierMetrics metrics;
    private final int workers;
    private final Map<Model, Queue> queues = new IdentityHashMap<>();
    private int passesRunning;

    /** @param workers the threads passes run on: with no delay, a batch waits while this many passes run */
    DynamicBatcher(Vertx vertx, PassRunner runner, ClassifierMetrics metrics, int workers) {
        this.vertx = vertx;
        this.workers = workers;
        this.runner = runner;
        this.metrics = metrics;
    }

    /**
     * The network's probabilities for {@code inputs} (raw input vectors), in a pass shared with other requests for
     * the same model, gathered as {@code batching} says (the same rule for every call with this model).
     */
    Future<Share> predict(Model model, BatchingConfig.Rule batching, double[][] inputs) {
        Request request = new Request(inputs, System.nanoTime());
        if (inputs.length >= batching.maxBatch()) {
            run(model, List.of(request));
            return request.share.future();
        }
        Queue queue = queues.get(model);
        if (queue != null && queue.rows + inputs.length > batching.maxBatch()) {
            flush(model, queue);
            queue = null;
        }
        if (queue == null) {
            queue = new Queue(batching.maxQueueDelayMicros() == 0);
            queues.put(model, queue);
            if (!queue.workConserving) {
                Queue waiting = queue;
                queue.timer = vertx.timer(batching.maxQueueDelayMicros(), TimeUnit.MICROSECONDS);
                queue.timer.onSuccess(fired -> flush(model, waiting));
            }
        }
        queue.requests.add(request);
        queue.rows += inputs.length;
        if (queue.rows == batching.maxBatch() || queue.workConserving && passesRunning < workers) {
            flush(model, queue);
        }
        return request.share.future();
    }

    private void flush(Model model, Queue queue) {
        if (queues.get(model) != queue) {
            return;
        }
        queues.remove(model);
        if (queue.timer != null) {
            queue.timer.cancel();
        }
        run(model, queue.requests);
    }

    /** A worker is free: the first waiting batch that needs no company goes. */
    private void passEnded() {
        passesRunning--;
        queues.entrySet().stream().filter(entry -> entry.getValue().workConserving).findFirst()
                .ifPresent(entry -> flush(entry.getKey(), entry.getValue()));
    }

    private void run(Model model, List<Request> requests) {
        int rows = requests.stream().mapToInt(request -> request.inputs.length).sum();
        double[][] inputs = new double[rows][];
        int row = 0;
        for (Request request : requests) {
            System.arraycopy(request.inputs, 0, inputs, row, request.inputs.length);
            row += request.inputs.length;
        }
        long queued = System.nanoTime();
        passesRunning++;
        runner.run(() -> {
            long start = System.nanoTime();
            double[] probabilities = model.predict(inputs);
            return new Pass(probabilities, System.nanoTime() - start);
        }).onComplete(done -> {
            passEnded();
            if (done.succeeded()) {
                metrics.batchedPass(rows);
            }
            int next = 0;
            for (Request request : requests) {
                if (done.failed()) {
                    request.share.fail(done.cause());
                    continue;
                }
                double[] mine = new double[request.inputs.length];
                System.arraycopy(done.result().probabilities(), next, mine, 0, mine.length);
                next += mine.length;
                request.share.complete(new Share(mine, rows, done.result().inferNanos(),
                        queued - request.arrivedNanos, request == requests.get(0)));
            }
        });
    }

    private record Pass(double[] probabilities, long inferNanos) {
    }

    private static final class Request {
        final double[][] inputs;
        final long arrivedNanos;
        final Promise<Share> share = Promise.promise();

        Request(double[][] inputs, long arrivedNanos) {
            this.inputs = inputs;
            this.arrivedNanos = arrivedNanos;
        }
    }

    private static final class Queue {
        final List<Request> requests = new ArrayList<>();
        /** No delay: sent when a worker is free rather than on a timer. */
        final boolean workConserving;
        int rows;
        Timer timer;

        Queue(boolean workConserving) {
            this.workConserving = workConserving;
        }
    }
}
