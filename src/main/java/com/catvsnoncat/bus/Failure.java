package com.catvsnoncat.bus;

import io.vertx.core.eventbus.ReplyException;

/**
 * Failure codes of every event-bus service. A service fails a message with {@code message.fail(code, text)}; the
 * code is the HTTP status the gateway answers with, so the mapping is 1:1 and written down once.
 */
public enum Failure {
    BAD_REQUEST(400),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    NOT_FOUND(404),
    UNPROCESSABLE(422),
    BAD_GATEWAY(502),
    UNAVAILABLE(503),
    TIMEOUT(504);

    private final int status;

    Failure(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    /**
     * The HTTP status for any failure of an event-bus request: the service's own code, 504 when nobody replied in
     * time, 503 when no service is registered.
     */
    public static int statusOf(Throwable failure) {
        if (failure instanceof ReplyException reply) {
            return switch (reply.failureType()) {
                case TIMEOUT -> TIMEOUT.status;
                case NO_HANDLERS -> UNAVAILABLE.status;
                case RECIPIENT_FAILURE, ERROR -> isKnown(reply.failureCode()) ? reply.failureCode() : 500;
            };
        }
        return 500;
    }

    private static boolean isKnown(int code) {
        for (Failure failure : values()) {
            if (failure.status == code) {
                return true;
            }
        }
        return false;
    }
}
