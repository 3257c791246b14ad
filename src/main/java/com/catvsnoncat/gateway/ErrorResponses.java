package com.catvsnoncat.gateway;

import com.catvsnoncat.bus.Failure;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure becomes {@code {"error": "..."}} with the status it stands for: an event-bus failure keeps its
 * {@link Failure} code (504 when nobody answered in time, 503 when no service is there), a request the gateway
 * refused keeps the status it was refused with. Only a bug gives 500, logged with its stack trace; the client never
 * sees one. Every 503 carries Retry-After.
 */
final class ErrorResponses implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private final GatewayConfig config;
    private final boolean messageField;

    ErrorResponses(GatewayConfig config) {
        this(config, false);
    }

    private ErrorResponses(GatewayConfig config, boolean messageField) {
        this.config = config;
        this.messageField = messageField;
    }

    /** The same answers with the original system's {@code "message"} beside {@code "error"}: its page prints it. */
    ErrorResponses withMessageField() {
        return new ErrorResponses(config, true);
    }

    @Override
    public void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status = statusOf(ctx);
        String message = messageOf(ctx, status);
        if (status == HttpResponseStatus.INTERNAL_SERVER_ERROR.code()) {
            RequestLogging.withRequestId(ctx, () -> LOG.error("{} {} failed", ctx.request().method(),
                    RequestLogging.printable(ctx.request().path()), failure));
        }
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            // Too late for an error body: cut the connection so the client sees the answer is incomplete.
            ctx.request().connection().close();
            return;
        }
        if (status == HttpResponseStatus.REQUEST_TIMEOUT.code()) {
            // A body too slow: the connection goes, and the trickle with it.
            ProtocolChecks.closeAfterAnswer(ctx);
        } else if (!ctx.request().isEnded()) {
            // The rest of the body is not wanted (too large, refused before reading): the client should not send
            // it. The connection stays until the client is done sending, or a browser would see a reset instead of
            // the answer.
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        // Also for requests refused before the route that adds them ran (vertx-web checks the Host first).
        ResponseHeaders.secure(response.headers(), config.contentSecurityPolicy());
        send(ctx, status, message);
    }

    /** A refusal of the request as the client sent it, with the reason the client will read. */
    static HttpException badRequest(String message) {
        return new HttpException(HttpResponseStatus.BAD_REQUEST.code(), message);
    }

    /** Answers {@code {"error": message}} with the status, and Retry-After on 503. */
    void send(RoutingContext ctx, int status, String message) {
        if (status == HttpResponseStatus.SERVICE_UNAVAILABLE.code()) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(config.retryAfterSeconds()));
        }
        JsonObject body = new JsonObject().put("error", message);
        if (messageField) {
            body.put("message", message);
        }
        Responses.json(ctx, status, body);
    }

    private static int statusOf(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof ReplyException) {
            return Failure.statusOf(failure);
        }
        if (failure instanceof HttpException http) {
            return http.getStatusCode();
        }
        // ctx.fail(status, cause), as vertx-web's own handlers do (CorsHandler: 403 with an IllegalStateException).
        if (ctx.statusCode() >= 400) {
            return ctx.statusCode();
        }
        return HttpResponseStatus.INTERNAL_SERVER_ERROR.code();
    }

    private String messageOf(RoutingContext ctx, int status) {
        Throwable failure = ctx.failure();
        if (failure instanceof ReplyException reply) {
            return messageOf(reply, status);
        }
        if (failure instanceof HttpException http && http.getPayload() != null) {
            return http.getPayload();
        }
        return switch (status) {
            case 403 -> "this origin may not call the API (CORS)";
            case 404 -> "not found: " + ctx.request().path();
            case 405 -> "method " + ctx.request().method() + " not allowed on " + ctx.request().path();
            case 413 -> "the request body is larger than the limit of " + readableSize(config.bodyLimitBytes());
            case 415 -> "unsupported Content-Type " + contentTypeOf(ctx) + "; send application/json "
                    + "{\"url\": \"...\"}, a picture (image/*, application/octet-stream) or multipart/form-data "
                    + "with a file field \"image\"";
            case 500 -> "internal error";
            case 400 -> ProtocolChecks.hostProblem(ctx.request()) != null ? ProtocolChecks.hostProblem(ctx.request())
                    : "bad request";
            default -> HttpResponseStatus.valueOf(status).reasonPhrase();
        };
    }

    /** What the client reads about a failed event-bus request (never a bug's own text). */
    static String messageOf(ReplyException reply, int status) {
        return switch (reply.failureType()) {
            case TIMEOUT -> "the service did not answer in time";
            case NO_HANDLERS -> "the service is not running";
            case RECIPIENT_FAILURE, ERROR -> status == HttpResponseStatus.INTERNAL_SERVER_ERROR.code()
                    ? "internal error" : reply.getMessage();
        };
    }

    private static String contentTypeOf(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        return type == null ? "(none)" : "\"" + type + "\"";
    }

    /** 10485760 reads as "10 MiB", 1500 as "1500 bytes": whole MiB or KiB where the size is one. */
    static String readableSize(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }
}
