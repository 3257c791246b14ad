package com.catvsnoncat.classifier;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A real HTTP server on 127.0.0.1 and a free port, answering each path with a handler the test gives. */
final class ImageServer {
    private final Map<String, Handler<HttpServerRequest>> routes = new HashMap<>();
    private final Map<String, Integer> hits = new ConcurrentHashMap<>();
    private HttpServer server;

    static Future<ImageServer> start(Vertx vertx) {
        ImageServer images = new ImageServer();
        return vertx.createHttpServer()
                .requestHandler(request -> routes(images, request))
                .listen(0, "127.0.0.1")
                .map(server -> {
                    images.server = server;
                    return images;
                });
    }

    private static void routes(ImageServer images, HttpServerRequest request) {
        images.hits.merge(request.path(), 1, Integer::sum);
        Handler<HttpServerRequest> handler = images.routes.get(request.path());
        if (handler == null) {
            request.response().setStatusCode(404).end("no such picture");
        } else {
            handler.handle(request);
        }
    }

    ImageServer on(String path, Handler<HttpServerRequest> handler) {
        routes.put(path, handler);
        return this;
    }

    ImageServer bytes(String path, byte[] body) {
        return on(path, request -> request.response().putHeader("Content-Type", "image/png")
                .end(io.vertx.core.buffer.Buffer.buffer(body)));
    }

    ImageServer redirect(String path, String target) {
        return on(path, request -> request.response().setStatusCode(302).putHeader("Location", target).end());
    }

    /** Requests received for {@code path}. */
    int hits(String path) {
        return hits.getOrDefault(path, 0);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    int port() {
        return server.actualPort();
    }
}
