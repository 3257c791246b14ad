package com.catvsnoncat.web;

import com.catvsnoncat.bus.Failure;
import com.catvsnoncat.bus.LocalCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;

/**
 * The static-content service's contract, used by both sides: {@link StaticContentVerticle} answers {@link #ADDRESS}
 * with the page and its assets, and {@link #router} is what an HTTP server mounts to hand its GETs to it. The
 * gateway mounts it at "/" after its API routes, so there is still one HTTP server (two servers on one port would
 * share connections, not paths); compression of what is not precompressed is the server's
 * ({@code HttpServerOptions.setCompressionSupported}).
 *
 * <p>Requests and replies are immutable records delivered by reference ({@link LocalCodec}): the same file buffers
 * go to every connection, never copied on the way.
 */
public final class StaticContent {
    /** Answers a {@link Request} with a {@link Reply}. */
    public static final String ADDRESS = "web.static";
    /** What readiness asks for: the page's headers. */
    private static final Request PROBE = new Request("/", true, null, null, null);

    private StaticContent() {
    }

    /**
     * A GET or HEAD of one path, with the request headers the answer depends on.
     *
     * @param path            the request's normalised path below the mount point, e.g. "/js/app.js"
     * @param head            HEAD: headers only
     * @param acceptEncoding  Accept-Encoding, or null
     * @param ifNoneMatch     If-None-Match, or null
     * @param ifModifiedSince If-Modified-Since, or null
     */
    public record Request(String path, boolean head, String acceptEncoding, String ifNoneMatch,
                          String ifModifiedSince) {
    }

    /**
     * The answer: 200, 304, 302 (a redirect) or 404 (no such file: the HTTP side passes the request on).
     *
     * @param headers the response headers, precomputed per file
     * @param body    the content, or null (HEAD, 304, redirect, 404); shared, never to be modified
     */
    public record Reply(int status, List<Map.Entry<String, String>> headers, Buffer body) {
        static final Reply NOT_FOUND = new Reply(404, List.of(), null);

        static Reply redirect(String location) {
            return new Reply(302, List.of(Map.entry(HttpHeaders.LOCATION.toString(), location)), null);
        }
    }

    /**
     * Succeeds once the static-content service answers (it binds its address only after reading every file); fails
     * as the event bus does when it is not there yet or does not answer within {@code timeoutMs}. Readiness asks
     * it: the page is part of the service. Needs the codecs ({@link #router} registers them).
     */
    public static Future<Void> answering(Vertx vertx, long timeoutMs) {
        return vertx.eventBus().<Reply>request(ADDRESS, PROBE, new DeliveryOptions().setSendTimeout(timeoutMs))
                .mapEmpty();
    }

    /** Makes both records travel by reference on this Vert.x instance's event bus; either side may call it. */
    static void registerCodecs(Vertx vertx) {
        LocalCodec.register(vertx, Request.class);
        LocalCodec.register(vertx, Reply.class);
    }

    /**
     * Hands every GET and HEAD to the static-content service and writes its reply; other methods, and paths it
     * has no file for, go to the next handler. A failure to get a reply (the service not deployed: 503) fails the
     * request with the status {@link Failure#statusOf} gives.
     */
    public static Router router(Vertx vertx) {
        registerCodecs(vertx);
        Router router = Router.router(vertx);
        router.route().handler(context -> forward(vertx, context));
        return router;
    }

    private static void forward(Vertx vertx, RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            context.next();
            return;
        }
        Request message = new Request(pathBelowMount(context), request.method() == HttpMethod.HEAD,
                request.getHeader(HttpHeaders.ACCEPT_ENCODING), request.getHeader(HttpHeaders.IF_NONE_MATCH),
                request.getHeader(HttpHeaders.IF_MODIFIED_SINCE));
        vertx.eventBus().<Reply>request(ADDRESS, message).onComplete(answered -> {
            if (answered.failed()) {
                context.fail(Failure.statusOf(answered.cause()), answered.cause());
            } else if (answered.result().body().status() == Reply.NOT_FOUND.status()) {
                context.next();
            } else {
                send(context.response(), answered.result().body());
            }
        });
    }

    private static String pathBelowMount(RoutingContext context) {
        String path = context.normalizedPath();
        String mount = context.mountPoint();
        if (mount == null || mount.equals("/")) {
            return path;
        }
        String trimmed = mount.endsWith("/") ? mount.substring(0, mount.length() - 1) : mount;
        return path.startsWith(trimmed) ? path.substring(trimmed.length()) : path;
    }

    private static void send(HttpServerResponse response, Reply reply) {
        response.setStatusCode(reply.status());
        for (Map.Entry<String, String> header : reply.headers()) {
            response.putHeader(header.getKey(), header.getValue());
        }
        if (reply.body() == null) {
            response.end();
        } else {
            response.end(reply.body());
        }
    }

    /**
     * The "web" section of the configuration (defaults in {@code config/defaults.json}).
     *
     * @param webjarsMaxAgeSeconds how long browsers and proxies may keep a WebJar file without asking again
     */
    public record Options(long webjarsMaxAgeSeconds) {
        public static final String SECTION = "web";

        public Options {
            if (webjarsMaxAgeSeconds < 0) {
                throw new IllegalArgumentException(SECTION + ".webjarsMaxAgeSeconds must be >= 0, is "
                        + webjarsMaxAgeSeconds);
            }
        }

        /** @param config the application configuration, or its "web" section */
        public static Options from(JsonObject config) {
            JsonObject section = config.getValue(SECTION) instanceof JsonObject nested ? nested : config;
            Object maxAge = section.getValue("webjarsMaxAgeSeconds");
            if (!(maxAge instanceof Number number) || number.doubleValue() != number.longValue()) {
                throw new IllegalArgumentException(SECTION + ".webjarsMaxAgeSeconds must be a whole number of "
                        + "seconds, is " + maxAge);
            }
            return new Options(number.longValue());
        }
    }
}
