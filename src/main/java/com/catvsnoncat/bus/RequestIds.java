package com.catvsnoncat.bus;

import io.vertx.core.eventbus.Message;
import org.slf4j.MDC;

/**
 * The request id travels with event-bus messages as a header so that every service's log lines for a request carry
 * it. It is put in the logging MDC only around each log call: requests interleave on a shared event loop, so a
 * thread-local set for longer would leak into other requests' lines.
 */
public final class RequestIds {
    /** Header on event-bus messages, and key in the logging MDC. */
    public static final String KEY = "requestId";

    private RequestIds() {
    }

    public static void withRequestId(String requestId, Runnable logging) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable(KEY, requestId == null ? "-" : requestId)) {
            logging.run();
        }
    }

    public static void withRequestId(Message<?> message, Runnable logging) {
        withRequestId(message.headers().get(KEY), logging);
    }
}
