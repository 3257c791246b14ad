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
 */
final class GrpcFailures {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcFailures.class);

    private GrpcFailures() {
    }

    static StatusException of(Throwable failure) {
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
