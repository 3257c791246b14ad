package com.catvsnoncat.gateway;

import com.catvsnoncat.bus.Failure;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure of a gRPC call as the status a gRPC client expects, with the same reason the REST API gives: the
 * HTTP status a failure stands for ({@link Failure}, or the status the gateway refused with) mapped as gRPC's own
 * HTTP mapping and Triton do. Only a bug gives INTERNAL, logged with its stack; the client reads "internal error".
 * A long reason is cut to {@link #MAX_DESCRIPTION} characters.
 */
final class GrpcFailures {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcFailures.class);
    /**
     * The longest description sent, in characters. It travels percent-encoded in the grpc-message trailer, and a
     * reason that quotes what the caller sent (a 100,000-character model name) made a trailer larger than clients
     * accept (grpc-java: 8 KiB of metadata), which they saw as a reset stream, INTERNAL. 512 characters stay below
     * that even if every one takes 4 bytes of UTF-8, each byte 3 once encoded.
     */
    static final int MAX_DESCRIPTION = 512;
    private static final String CUT = "... (cut)";

    private GrpcFailures() {
    }

    static StatusException of(Throwable failure) {
        StatusException status = statusOf(failure);
        String message = status.message();
        return message == null || message.length() <= MAX_DESCRIPTION ? status
                : new StatusException(status.status(), message.substring(0, MAX_DESCRIPTION) + CUT);
    }

    private static StatusException statusOf(Throwable failure) {
        if (failure instanceof StatusException status) {
            return status;
        }
        int status = failure instanceof HttpException http ? http.getStatusCode() : Failure.statusOf(failure);
        GrpcStatus grpc = statusFor(status);
        if (grpc == GrpcStatus.INTERNAL) {
            LOG.error("gRPC call failed", failure);
            return new StatusException(grpc, "internal error");
        }
        return new StatusException(grpc, messageOf(failure, status));
    }

    /** The gRPC status of an HTTP status. */
    static GrpcStatus statusFor(int httpStatus) {
        return switch (httpStatus) {
            // 415: bytes that are no picture; 422: a damaged picture. Both are the request's content.
            case 400, 415, 422 -> GrpcStatus.INVALID_ARGUMENT;
            case 401 -> GrpcStatus.UNAUTHENTICATED;
            case 404 -> GrpcStatus.NOT_FOUND;
            // A picture, batch or message above a limit: what grpc-java itself answers to a message too large.
            case 413 -> GrpcStatus.RESOURCE_EXHAUSTED;
            // 502: an upstream failed; 503: full or not ready. Both worth retrying.
            case 502, 503 -> GrpcStatus.UNAVAILABLE;
            case 504 -> GrpcStatus.DEADLINE_EXCEEDED;
            default -> GrpcStatus.INTERNAL;
        };
    }

    private static String messageOf(Throwable failure, int status) {
        if (failure instanceof ReplyException reply) {
            return ErrorResponses.messageOf(reply, status);
        }
        if (failure instanceof HttpException http && http.getPayload() != null) {
            return http.getPayload();
        }
        return String.valueOf(failure.getMessage());
    }
}
