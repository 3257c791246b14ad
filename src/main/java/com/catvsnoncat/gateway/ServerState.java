package com.catvsnoncat.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

/**
 * State shared by every gateway instance of one Vert.x instance (each instance has its own event loop, so this lives
 * in a local shared map): the port the server is bound to, and whether the application is shutting down.
 */
public final class ServerState {
    private static final String MAP = "catvsnoncat.gateway";
    private static final String PORT = "port";
    private static final String DRAINING = "draining";

    private final LocalMap<String, Object> map;

    private ServerState(LocalMap<String, Object> map) {
        this.map = map;
    }

    public static ServerState of(Vertx vertx) {
        return new ServerState(vertx.sharedData().getLocalMap(MAP));
    }

    /** From now on readiness answers 503, so load balancers stop sending new work. */
    public void startDraining() {
        map.put(DRAINING, Boolean.TRUE);
    }

    public boolean draining() {
        return Boolean.TRUE.equals(map.get(DRAINING));
    }

    void boundTo(int port) {
        map.put(PORT, port);
    }

    /** The port the HTTP server listens on, once a gateway has started; -1 before. */
    public int port() {
        return map.get(PORT) instanceof Integer port ? port : -1;
    }
}
