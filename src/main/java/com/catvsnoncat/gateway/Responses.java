package com.catvsnoncat.gateway;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** JSON answers. */
final class Responses {
    static final String APPLICATION_JSON = "application/json";

    private Responses() {
    }

    static void json(RoutingContext ctx, JsonObject body) {
        json(ctx, 200, body);
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
                .end(body.toBuffer());
    }

    static void json(RoutingContext ctx, JsonArray body) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(body.toBuffer());
    }
}
