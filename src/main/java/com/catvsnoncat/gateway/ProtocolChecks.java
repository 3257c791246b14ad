package com.catvsnoncat.gateway;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is wrong with a request at the HTTP level is the client's mistake, answered and logged as such: requests
 * Netty cannot parse get our JSON error with the security headers (414, 431, 400) instead of a bare status, broken
 * connections (a malformed chunk size, a reset) are one DEBUG line without a stack, an HTTP/1.1 request needs exactly
 * one Host (HTTP/2 an :authority), and a chunked request's connection is closed after its answer.
 */
final class ProtocolChecks {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolChecks.class);
    private static final String CLOSING = "closeAfterAnswer";

    private final String contentSecurityPolicy;
    /** Connections to close once their current answer is sent; only touched on this verticle's event loop. */
    private final Set<HttpConnection> closing = Collections.newSetFromMap(new WeakHashMap<>());
    private final int maxInitialLineLength;
    private final int maxHeaderSizeBytes;

    ProtocolChecks(GatewayConfig settings) {
        this.contentSecurityPolicy = settings.contentSecurityPolicy();
        this.maxInitialLineLength = settings.maxInitialLineLength();
        this.maxHeaderSizeBytes = settings.maxHeaderSizeBytes();
    }

    /** For {@code HttpServer.invalidRequestHandler}: a request Netty could not decode. */
    Handler<HttpServerRequest> invalidRequests() {
        return request -> {
            Throwable cause = request.decoderResult().cause();
            int status;
            String message;
            if (cause instanceof TooLongHttpLineException) {
                status = HttpResponseStatus.REQUEST_URI_TOO_LONG.code();
                message = "the request line is longer than " + maxInitialLineLength + " bytes";
            } else if (cause instanceof TooLongHttpHeaderException) {
                status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE.code();
                message = "the request headers are larger than " + maxHeaderSizeBytes + " bytes";
            } else {
                status = HttpResponseStatus.BAD_REQUEST.code();
                message = "the request is not valid HTTP";
            }
            LOG.debug("invalid request: {}", RequestLogging.printable(String.valueOf(cause)));
            HttpServerResponse response = request.response();
            ResponseHeaders.secure(response.headers(), contentSecurityPolicy);
            response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Responses.APPLICATION_JSON)
                    .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                    .end(new JsonObject().put("error", message).toBuffer())
                    .onComplete(ended -> request.connection().close());
        };
    }

    /** For connections' and the server's exception handlers: a broken request or connection, logged quietly. */
    static void connectionFailed(Throwable failure) {
        LOG.debug("connection failed: {}", RequestLogging.printable(String.valueOf(failure)));
    }

    /**
     * The first route: a request without exactly one Host is a 400; a chunked one closes its connection after its
     * answer, and a request pipelined behind it on that connection is refused (Vert.x hands it to the router before
     * the connection can close).
     */
    void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (closing.contains(request.connection())) {
            ctx.fail(ErrorResponses.badRequest("this connection is closing after a chunked request; send this "
                    + "request on a new connection"));
            return;
        }
        if (request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null && request.version() != HttpVersion.HTTP_2) {
            // Netty drops a Content-Length sent beside Transfer-Encoding, so the two cannot be told apart here;
            // RFC 9112 section 6.3 asks to close such a connection after answering, so every chunked one closes.
            closing.add(request.connection());
            closeAfterAnswer(ctx);
        }
        String hostProblem = hostProblem(request);
        if (hostProblem != null) {
            ctx.fail(ErrorResponses.badRequest(hostProblem));
            return;
        }
        ctx.next();
    }

    /**
     * What is wrong with the request's Host, or null: HTTP/1.1 needs exactly one, HTTP/1.0 at most one, HTTP/2 an
     * :authority. Vert.x-Web refuses a request without one before any route runs, so the error handler asks too.
     */
    static String hostProblem(HttpServerRequest request) {
        int hosts = request.headers().getAll(HttpHeaders.HOST).size();
        return switch (request.version()) {
            case HTTP_1_0 -> hosts <= 1 ? null : "the request has more than one Host header";
            case HTTP_1_1 -> hosts == 1 ? null : "the request needs exactly one Host header";
            case HTTP_2 -> request.authority() != null ? null : "the request has no :authority";
        };
    }

    /**
     * Says {@code Connection: close} and means it: Vert.x keeps an HTTP/1.1 connection open (and goes on with
     * requests pipelined behind) whatever the response's Connection header says, so the connection is closed once
     * the answer is sent. An HTTP/2 connection carries other requests and is left alone.
     */
    static void closeAfterAnswer(RoutingContext ctx) {
        if (ctx.request().version() == HttpVersion.HTTP_2 || ctx.get(CLOSING) != null) {
            return;
        }
        ctx.put(CLOSING, true);
        ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        ctx.addEndHandler(ended -> ctx.request().connection().close());
    }
}
