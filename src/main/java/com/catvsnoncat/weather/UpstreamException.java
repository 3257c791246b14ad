package com.catvsnoncat.weather;

import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.DecodeException;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Why one city could not be read: a short human-readable message for the reply and a reason for the failure
 * counter. Expected outcomes, so no stack trace is captured.
 */
final class UpstreamException extends RuntimeException {
    enum Reason {
        TIMEOUT, HTTP_STATUS, RATE_LIMITED, BAD_RESPONSE, DNS, CONNECTION_REFUSED, CONNECTION_CLOSED, CIRCUIT_OPEN,
        OTHER;

        /** The metric tag value, e.g. "http_status". */
        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final String TIMED_OUT = "timed out";
    static final String CIRCUIT_OPEN = "upstream unavailable (circuit open)";

    private final Reason reason;
    private final long retryAfterMs;

    private UpstreamException(Reason reason, String message) {
        this(reason, message, -1);
    }

    private UpstreamException(Reason reason, String message, long retryAfterMs) {
        super(message, null, false, false);
        this.reason = reason;
        this.retryAfterMs = retryAfterMs;
    }

    Reason reason() {
        return reason;
    }

    /** For {@link Reason#RATE_LIMITED}: how long the upstream asked to be left alone; -1 when it did not say. */
    long retryAfterMs() {
        return retryAfterMs;
    }

    static UpstreamException timedOut() {
        return new UpstreamException(Reason.TIMEOUT, TIMED_OUT);
    }

    static UpstreamException httpStatus(int status) {
        return new UpstreamException(Reason.HTTP_STATUS, "upstream answered HTTP " + status);
    }

    /** A 429 answer, or a call not made because the upstream's Retry-After has not passed yet. */
    static UpstreamException rateLimited(long retryAfterMs) {
        return new UpstreamException(Reason.RATE_LIMITED, "upstream rate limit"
                + (retryAfterMs >= 0 ? " (retry after " + Math.max(1, (retryAfterMs + 999) / 1000) + " s)" : ""),
                retryAfterMs);
    }

    static UpstreamException badResponse(String what) {
        return new UpstreamException(Reason.BAD_RESPONSE, "bad answer from upstream: " + what);
    }

    /** Classifies any failure of an upstream call; the message never carries a URL (it may hold the API key). */
    static UpstreamException of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UpstreamException upstream) {
                return upstream;
            }
            if (cause instanceof OpenCircuitException) {
                return new UpstreamException(Reason.CIRCUIT_OPEN, CIRCUIT_OPEN);
            }
            // Netty's connect timeout is a ConnectException too: test it first.
            if (cause instanceof TimeoutException || cause instanceof ConnectTimeoutException) {
                return timedOut();
            }
            if (cause instanceof UnknownHostException) {
                return new UpstreamException(Reason.DNS, "DNS lookup failed");
            }
            if (cause instanceof ConnectException) {
                return new UpstreamException(Reason.CONNECTION_REFUSED, "connection refused");
            }
            if (cause instanceof HttpClosedException) {
                return new UpstreamException(Reason.CONNECTION_CLOSED, "connection closed by upstream");
            }
            if (cause instanceof DecodeException) {
                return badResponse("malformed JSON");
            }
        }
        return new UpstreamException(Reason.OTHER,
                "upstream request failed (" + failure.getClass().getSimpleName() + ")");
    }
}
