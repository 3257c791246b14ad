package com.catvsnoncat.gateway;

import com.catvsnoncat.classifier.ClassifierApi;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * {@code POST /admin/reload}: loads a new model without a restart (body {@code {"path": "/models/m.npz"}}, or
 * empty for the configured path). The Open Inference Protocol's model repository extension: {@code POST
 * /v2/repository/index} (every version with its state; {@code {"ready": true}} for the ready ones only),
 * {@code POST /v2/repository/models/{name}/load} and {@code .../unload}; gRPC has the same calls
 * ({@link InferenceGrpcService}). They exist only when {@code admin.token} is set (404 otherwise) and want
 * {@code Authorization: Bearer <token>}, compared in constant time.
 */
final class AdminRoutes {
    static final String ADMIN_TOKEN_NEEDED = "a valid admin bearer token is needed";
    private static final String BEARER = "Bearer ";
    /** The index's body field asking for the versions ready for inference only. */
    private static final String READY_ONLY = "ready";
    /** {"path": "..."} and nothing more. */
    private static final BoundedJson BODY = new BoundedJson(4096, 2, 8);

    private final ApiRoutes api;
    private final Optional<byte[]> token;

    AdminRoutes(ApiRoutes api, Optional<String> token) {
        this.api = api;
        this.token = token.map(value -> value.getBytes(StandardCharsets.UTF_8));
    }

    void mount(Router router) {
        // Authorization is its own route so that it runs before any body is read.
        router.post("/admin/reload").handler(this::authorize);
        router.post("/admin/reload").handler(new JsonBody(BODY))
                .handler(this::reload);
        router.post("/v2/repository/*").handler(this::authorize);
        // The protocol's bodies are read, bounded; load's and unload's parameters are not used.
        router.post("/v2/repository/index").handler(new JsonBody(BODY)).handler(this::index);
        router.post("/v2/repository/models/:model/load").handler(new JsonBody(BODY))
                .handler(ctx -> forward(ctx, ClassifierApi.REPOSITORY_LOAD, named(ctx)));
        router.post("/v2/repository/models/:model/unload").handler(new JsonBody(BODY))
                .handler(ctx -> forward(ctx, ClassifierApi.REPOSITORY_UNLOAD, named(ctx)));
    }

    private static JsonObject named(RoutingContext ctx) {
        return new JsonObject().put(ClassifierApi.MODEL_NAME, ctx.pathParam("model"));
    }

    /** The classifier's answer, an empty object for load and unload. */
    private void forward(RoutingContext ctx, String address, JsonObject message) {
        api.request(ctx, address, message).onSuccess(reply -> Responses.json(ctx, reply)).onFailure(ctx::fail);
    }

    /** The index's rows as the protocol's JSON array; only the ready ones when the body says {@code "ready": true}. */
    private void index(RoutingContext ctx) {
        boolean readyOnly = Boolean.TRUE.equals(JsonBody.of(ctx).getValue(READY_ONLY));
        api.request(ctx, ClassifierApi.REPOSITORY_INDEX, new JsonObject())
                .onSuccess(reply -> Responses.json(ctx, indexRows(reply, readyOnly))).onFailure(ctx::fail);
    }

    /**
     * The rows of the classifier's {@link ClassifierApi#REPOSITORY_INDEX} reply (REST and gRPC), every version or
     * only those ready for inference.
     */
    static JsonArray indexRows(JsonObject reply, boolean readyOnly) {
        JsonArray rows = reply.getJsonArray(ClassifierApi.MODELS);
        return !readyOnly ? rows : new JsonArray(rows.stream().filter(row -> ClassifierApi.STATE_READY.equals(((JsonObject) row)
                .getString(ClassifierApi.STATE))).toList());
    }

    private void authorize(RoutingContext ctx) {
        if (token.isEmpty()) {
            ctx.fail(HttpResponseStatus.NOT_FOUND.code());
            return;
        }
        if (!authorized(ctx.request().getHeader(HttpHeaders.AUTHORIZATION), token.get())) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            ctx.fail(new HttpException(HttpResponseStatus.UNAUTHORIZED.code(), ADMIN_TOKEN_NEEDED));
            return;
        }
        ctx.next();
    }

    static boolean authorized(String authorization, byte[] expected) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] offered = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(offered, expected);
    }

    private void reload(RoutingContext ctx) {
        JsonObject body = JsonBody.of(ctx);
        JsonObject message = body.containsKey(ClassifierApi.PATH)
                ? new JsonObject().put(ClassifierApi.PATH, body.getValue(ClassifierApi.PATH)) : new JsonObject();
        api.request(ctx, ClassifierApi.RELOAD, message).onSuccess(reply -> Responses.json(ctx, reply))
                .onFailure(ctx::fail);
    }
}
