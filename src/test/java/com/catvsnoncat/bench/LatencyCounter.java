package com.catvsnoncat.bench;

import com.catvsnoncat.bench.LoadGenerator.Result;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What one load run counts, the same for every protocol: answers that end inside the measured window (after the
 * warm-up, before the end), latencies of the successful ones in microseconds, failures by status. Not thread-safe:
 * the HTTP generator uses it from its one event loop, the gRPC one under its own lock.
 */
final class LatencyCounter {
    private static final long MAX_LATENCY_US = TimeUnit.MINUTES.toMicros(2);
    private static final int SIGNIFICANT_DIGITS = 3;

    final long startNanos;
    final long measureStartNanos;
    final long endNanos;
    private final long measureMs;
    private final Histogram latencies = new Histogram(MAX_LATENCY_US, SIGNIFICANT_DIGITS);
    private final Map<Integer, Long> errors = new TreeMap<>();
    private long completed;

    LatencyCounter(long warmupMs, long measureMs) {
        this.measureMs = measureMs;
        this.startNanos = System.nanoTime();
        this.measureStartNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(warmupMs);
        this.endNanos = measureStartNanos + TimeUnit.MILLISECONDS.toNanos(measureMs);
    }

    /** An answer now to a request due (or sent) at {@code dueNanos}: a success, or a failure with its status. */
    void ended(long dueNanos, boolean succeeded, int status) {
        long now = System.nanoTime();
        if (now < measureStartNanos || now >= endNanos) {
            return;
        }
        if (succeeded) {
            completed++;
            latencies.recordValue(Math.min(MAX_LATENCY_US, Math.max(1, (now - dueNanos) / 1000)));
        } else {
            errors.merge(status, 1L, Long::sum);
        }
    }

    Result result() {
        return new Result(completed, errors, measureMs / 1000.0, latencies);
    }
}
