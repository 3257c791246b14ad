package com.catvsnoncat.gateway;

import com.catvsnoncat.classifier.ClassifierApi;
import com.catvsnoncat.web.StaticContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Liveness and readiness, also under the Open Inference Protocol's names. Liveness asks nothing of anyone (a slow
 * classifier must not get the pod restarted). Readiness is true when the static-content service serves the page, the
 * classifier has loaded and warmed up its model, and the application is not shutting down; 503 with the reason
 * otherwise. A model's own readiness (the OIP's {@code /v2/models/{name}/ready} and gRPC's ModelReady) is false while
 * shutting down too.
 */
final class HealthRoutes {
    static final String READY = "ready";
    static final String LIVE = "live";

    private final Vertx vertx;
    private final ApiRoutes api;
    private final ServerState state;
    private final GatewayConfig config;

    HealthRoutes(Vertx vertx, ApiRoutes api, ServerState state, GatewayConfig config) {
        this.vertx = vertx;
        this.api = api;
        this.state = state;
        this.config = config;
    }

    void mount(Router router) {
        router.get("/health/live").handler(this::live);
        router.get("/v2/health/live").handler(this::live);
        router.get("/health/ready").handler(this::ready);
        router.get("/v2/health/ready").handler(this::ready);
    }

    private void live(RoutingContext ctx) {
        Responses.json(ctx, new JsonObject().put(LIVE, true));
    }

    void ready(RoutingContext ctx) {
        readiness(ctx).onSuccess(reply -> {
            boolean ready = reply.getBoolean(READY, false);
            if (!ready) {
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(config.retryAfterSeconds()));
            }
            Responses.json(ctx, ready ? 200 : HttpResponseStatus.SERVICE_UNAVAILABLE.code(), reply);
        });
    }

    /** {@code {"ready": true, "model": {...}}}, or {@code {"ready": false, "error": why}}; never fails. */
    Future<JsonObject> readiness(RoutingContext ctx) {
        return readiness(RequestLogging.requestId(ctx));
    }

    /** The same for the request with this id (an HTTP request or a gRPC call). */
    Future<JsonObject> readiness(String requestId) {
        if (state.draining()) {
            return Future.succeededFuture(notReady("shutting down"));
        }
        return StaticContent.answering(vertx, config.readinessTimeoutMs()).transform(page -> page.failed()
                ? Future.succeededFuture(notReady("the page is not served yet: " + page.cause().getMessage()))
                : classifierReadiness(requestId));
    }

    private Future<JsonObject> classifierReadiness(String requestId) {
        return api.request(requestId, ClassifierApi.READY, new JsonObject(), config.readinessTimeoutMs())
                .map(reply -> reply.getBoolean(ClassifierApi.READY_FLAG, false)
                        ? new JsonObject().put(READY, true).put(ClassifierApi.MODEL_INFO,
                                reply.getJsonObject(ClassifierApi.MODEL_INFO))
                        : notReady("the classifier is warming up"))
                .otherwise(failure -> notReady("the classifier is not available: " + failure.getMessage()));
    }

    /**
     * Whether one model (the version, when the target names one) is ready: as the classifier says, failing as it does
     * for a model it does not serve (404, also while draining), and never while the server drains, as readiness.
     *
     * @param target the classifier message naming the model ({@link InferenceProtocolRoutes#target})
     */
    Future<Boolean> modelReadiness(String requestId, JsonObject target, long timeoutMs) {
        return api.request(requestId, ClassifierApi.READY, target, timeoutMs)
                .map(reply -> reply.getBoolean(ClassifierApi.READY_FLAG, false) && !state.draining());
    }

    private static JsonObject notReady(String reason) {
        return new JsonObject().put(READY, false).put("error", reason);
    }
}
