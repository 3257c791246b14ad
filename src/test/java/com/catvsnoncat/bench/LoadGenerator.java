package com.catvsnoncat.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;

/**
 * An HTTP load generator on one Vert.x event loop: a closed loop (each connection sends its next request as soon
 * as the last one is answered, as wrk does), or a fixed arrival rate where latency is counted from when a request
 * was due, not when it could be sent (no coordinated omission). Requests completing during the warm-up are not
 * counted. Anything but 200 counts as an error, by status.
 */
final class LoadGenerator implements AutoCloseable {
    private static final long TICK_MS = 1;

    /** One HTTP request to make; the body (may be null) is sent as is, with any extra headers. */
    record Request(HttpMethod method, String path, String contentType, Buffer body, Map<String, String> headers) {
        static Request get(String path) {
            return new Request(HttpMethod.GET, path, null, null, Map.of());
        }

        static Request post(String path, String contentType, Buffer body) {
            return new Request(HttpMethod.POST, path, contentType, body, Map.of());
        }

        Request with(String header, String value) {
            Map<String, String> more = new HashMap<>(headers);
            more.put(header, value);
            return new Request(method, path, contentType, body, Map.copyOf(more));
        }
    }

    /** What one run measured: requests completed in the measured window, latencies in microseconds. */
    record Result(long completed, Map<Integer, Long> errorsByStatus, double seconds, Histogram latencyUs) {
        double perSecond() {
            return completed / seconds;
        }

        long errors() {
            return errorsByStatus.values().stream().mapToLong(Long::longValue).sum();
        }

        double percentileMs(double percentile) {
            return latencyUs.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private final Vertx vertx;
    private final int port;

    LoadGenerator(int port) {
        // One event loop: the generator takes as little of the shared cores as it can.
        this.vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        this.port = port;
    }

    /** {@code connections} clients in a closed loop; request {@code i} is {@code requests.apply(i)}. */
    Future<Result> closedLoop(LongFunction<Request> requests, int connections, long warmupMs, long measureMs) {
        Run run = new Run(requests, connections, warmupMs, measureMs);
        run.context.runOnContext(start -> {
            run.begin();
            for (int c = 0; c < connections; c++) {
                run.loop();
            }
        });
        return run.done.future();
    }

    /** Requests due at {@code perSecond}, on at most {@code connections} connections (the rest wait their turn). */
    Future<Result> fixedRate(LongFunction<Request> requests, double perSecond, int connections, long warmupMs,
                             long measureMs) {
        Run run = new Run(requests, connections, warmupMs, measureMs);
        run.context.runOnContext(start -> {
            run.begin();
            long[] issued = {0};
            vertx.setPeriodic(TICK_MS, timer -> {
                long now = System.nanoTime();
                if (now >= run.endNanos) {
                    vertx.cancelTimer(timer);
                    run.stopSending();
                    return;
                }
                long due = (long) ((now - run.startNanos) / 1e9 * perSecond);
                for (; issued[0] < due; issued[0]++) {
                    run.send(run.startNanos + (long) (issued[0] * 1e9 / perSecond));
                }
            });
        });
        return run.done.future();
    }

    @Override
    public void close() {
        vertx.close().await();
    }

    /** The state of one run; touched only on its event loop. */
    private final class Run {
        final Context context = vertx.getOrCreateContext();
        final HttpClientAgent client;
        final LongFunction<Request> requests;
        final long warmupMs;
        final long measureMs;
        final Promise<Result> done = Promise.promise();
        LatencyCounter counted;
        long startNanos;
        long endNanos;
        long counter;
        int inFlight;
        boolean sending = true;

        Run(LongFunction<Request> requests, int connections, long warmupMs, long measureMs) {
            this.requests = requests;
            this.warmupMs = warmupMs;
            this.measureMs = measureMs;
            this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                            .setDefaultPort(port).setKeepAlive(true).setPipelining(false),
                    new PoolOptions().setHttp1MaxSize(connections));
        }

        void begin() {
            counted = new LatencyCounter(warmupMs, measureMs);
            startNanos = counted.startNanos;
            endNanos = counted.endNanos;
        }

        /** A closed-loop client: the next request when this one ends, until the end. */
        void loop() {
            if (System.nanoTime() >= endNanos) {
                stopSending();
                return;
            }
            send(System.nanoTime()).onComplete(ended -> loop());
        }

        Future<Void> send(long dueNanos) {
            Request request = requests.apply(counter++);
            inFlight++;
            RequestOptions options = new RequestOptions().setMethod(request.method()).setURI(request.path());
            if (request.contentType() != null) {
                options.putHeader("Content-Type", request.contentType());
            }
            request.headers().forEach(options::putHeader);
            return client.request(options)
                    .compose(http -> request.body() == null ? http.send() : http.send(request.body()))
                    .compose(response -> response.body().map(body -> response.statusCode()))
                    .otherwise(failure -> -1)
                    .map(status -> {
                        ended(dueNanos, status);
                        return null;
                    });
        }

        private void ended(long dueNanos, int status) {
            inFlight--;
            counted.ended(dueNanos, status == 200, status);
            finishIfIdle();
        }

        void stopSending() {
            sending = false;
            finishIfIdle();
        }

        private void finishIfIdle() {
            if (!sending && inFlight == 0 && !done.future().isComplete()) {
                client.close();
                done.complete(counted.result());
            }
        }
    }
}
