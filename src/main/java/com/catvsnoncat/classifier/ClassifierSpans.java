package com.catvsnoncat.classifier;

import com.catvsnoncat.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The classifier's own spans, children of the event-bus span Vert.x makes for each request (which gets the request
 * id): "fetch" around a picture's download (the HTTP client's span for each hop is its child), "decode" and
 * "inference" from the classifier's own timings. Without a tracer (tracing off) every method only runs the work.
 */
final class ClassifierSpans {
    static final String FETCH = "fetch";
    static final String DECODE = "decode";
    static final String INFERENCE = "inference";

    private final Optional<Tracer> tracer;

    ClassifierSpans(Optional<Tracer> tracer) {
        this.tracer = tracer;
    }

    /** Tags the request's span (Vert.x's, current on this context) with the request id. */
    void requestId(String requestId) {
        if (tracer.isPresent() && requestId != null) {
            Span.current().setAttribute(Tracing.REQUEST_ID, requestId);
        }
    }

    /** Runs a download in a "fetch" span, current on this Vert.x context until the download ends. */
    <T> Future<T> fetch(Supplier<Future<T>> download) {
        if (tracer.isEmpty()) {
            return download.get();
        }
        Span span = tracer.get().spanBuilder(FETCH).startSpan();
        Scope scope = span.makeCurrent();
        Future<T> result;
        try {
            result = download.get();
        } catch (RuntimeException e) {
            scope.close();
            end(span, e);
            throw e;
        }
        return result.andThen(done -> {
            scope.close();
            end(span, done.cause());
        });
    }

    /** The parent for spans made later on another thread: the request's span. */
    Context current() {
        return Context.current();
    }

    /**
     * Records "decode" then "inference", measured by the classifier, as starting at {@code start}.
     *
     * @param parent the request's span, from {@link #current()} on its event loop
     */
    void decodeAndInference(Context parent, Instant start, long decodeNanos, long inferNanos) {
        if (tracer.isEmpty()) {
            return;
        }
        long startNanos = TimeUnit.SECONDS.toNanos(start.getEpochSecond()) + start.getNano();
        span(DECODE, parent, startNanos, decodeNanos);
        span(INFERENCE, parent, startNanos + decodeNanos, inferNanos);
    }

    private void span(String name, Context parent, long startNanos, long durationNanos) {
        tracer.orElseThrow().spanBuilder(name).setParent(parent).setStartTimestamp(startNanos, TimeUnit.NANOSECONDS)
                .startSpan().end(startNanos + durationNanos, TimeUnit.NANOSECONDS);
    }

    private static void end(Span span, Throwable failure) {
        if (failure != null) {
            span.setStatus(StatusCode.ERROR, failure.getMessage());
        }
        span.end();
    }
}
