package com.catvsnoncat.gateway;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a small JSON control body within {@link BoundedJson}'s bounds (413 past its size at once, 400 past its depth
 * or element count) and keeps the parsed object for the next handler. Routes taking a few fields of JSON use this
 * instead of {@code BodyHandler}, whose only bound is bytes.
 */
final class JsonBody implements Handler<RoutingContext> {
    private static final String KEY = "jsonBody";

    private final BoundedJson bounds;

    JsonBody(BoundedJson bounds) {
        this.bounds = bounds;
    }

    /** The parsed body; an empty body is an empty object. */
    static JsonObject of(RoutingContext ctx) {
        return ctx.get(KEY);
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (!BodyReads.admit(ctx, bounds.maxBytes())) {
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] failed = {false};
        ctx.request().handler(chunk -> {
            if (failed[0]) {
                return;
            }
            if (body.length() + chunk.length() > bounds.maxBytes()) {
                failed[0] = true;
                ctx.fail(BoundedJson.tooLarge(bounds.maxBytes()));
            } else {
                body.appendBuffer(chunk);
            }
        }).exceptionHandler(failure -> {
            if (!failed[0]) {
                failed[0] = true;
                ctx.fail(ErrorResponses.badRequest("the request body could not be read"));
            }
        }).endHandler(ended -> {
            if (failed[0]) {
                return;
            }
            try {
                ctx.put(KEY, body.length() == 0 ? new JsonObject() : bounds.parseObject(body));
            } catch (RuntimeException e) {
                ctx.fail(e);
                return;
            }
            ctx.next();
        }).resume();
    }
}
