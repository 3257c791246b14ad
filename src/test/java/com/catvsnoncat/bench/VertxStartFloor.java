package com.catvsnoncat.bench;

import io.vertx.core.Vertx;

/**
 * The least a Vert.x 5 HTTP server start costs on this machine: one Vertx instance and one server answering 200 to
 * every request, nothing else. {@code make bench-start-floor} starts it with the image's JVM flags from the same fat
 * jar, beside the service, so a start-to-ready figure can be read against what Vert.x alone takes here.
 */
public final class VertxStartFloor {
    private VertxStartFloor() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx.vertx().createHttpServer()
                .requestHandler(request -> request.response().end())
                .listen(port, "127.0.0.1")
                .onFailure(failure -> {
                    System.err.println("cannot listen on port " + port + ": " + failure.getMessage());
                    System.exit(1);
                });
    }
}
