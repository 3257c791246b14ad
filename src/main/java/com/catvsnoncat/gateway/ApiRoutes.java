package com.catvsnoncat.gateway;

import com.catvsnoncat.classifier.ClassifierApi;
import com.catvsnoncat.weather.WeatherApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Base64;

/**
 * The page's API under {@code /api}: classify, explain, weather, model, and the served models for the page's picker.
 * Each turns into one event-bus request.
 */
final class ApiRoutes {
    private static final String PNG_DATA_URL = "data:image/png;base64,";
    private static final String MODEL_PARAM = "model";
    private static final String VERSION_PARAM = "version";

    private final Vertx vertx;
    private final GatewayConfig config;

    ApiRoutes(Vertx vertx, GatewayConfig config) {
        this.vertx = vertx;
        this.config = config;
    }

    void mount(Router router) {
        pictureRoute(router.post("/api/classify")).handler(ctx -> classify(ctx, ClassifierApi.CLASSIFY));
        pictureRoute(router.post("/api/explain")).handler(ctx -> classify(ctx, ClassifierApi.EXPLAIN));
        router.get("/api/weather").handler(this::weather);
        router.get("/api/model").handler(this::model);
        router.get("/api/models").handler(ctx -> request(ctx, ClassifierApi.LIST, new JsonObject())
                .onSuccess(reply -> Responses.json(ctx, reply)).onFailure(ctx::fail));
    }

    /** A route taking a picture as JSON {"url"}, raw bytes or a multipart file, read in memory. */
    private Route pictureRoute(Route route) {
        return route.handler(new ImageBody(config.bodyLimitBytes()));
    }

    /** Sends the picture request to the classifier; an explanation's PNGs become data: URLs. */
    private Future<JsonObject> askClassifier(RoutingContext ctx, String address) {
        JsonObject message;
        try {
            message = ImageRequests.toMessage(ImageBody.of(ctx)).mergeIn(modelChoice(ctx));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return request(ctx, address, message).map(reply -> {
            if (address.equals(ClassifierApi.EXPLAIN)) {
                toDataUrl(reply, ClassifierApi.SALIENCY);
                toDataUrl(reply, ClassifierApi.PICTURE);
            }
            return reply;
        });
    }

    private void classify(RoutingContext ctx, String address) {
        askClassifier(ctx, address).onSuccess(reply -> {
            String timing = ServerTiming.of(reply.getJsonObject(ClassifierApi.TIMINGS));
            if (!timing.isEmpty()) {
                ctx.response().putHeader(ServerTiming.HEADER, timing);
            }
            Responses.json(ctx, reply);
        }).onFailure(ctx::fail);
    }

    /** {@code ?cities=Seattle,Miami} picks among the configured cities. */
    private void weather(RoutingContext ctx) {
        JsonObject message = new JsonObject();
        String cities = ctx.request().getParam(WeatherApi.CITIES);
        if (cities != null && !cities.isBlank()) {
            message.put(WeatherApi.CITIES, new JsonArray(Arrays.stream(cities.split(","))
                    .map(String::trim).filter(name -> !name.isEmpty()).toList()));
        }
        request(ctx, WeatherApi.CURRENT, message).onSuccess(reply -> Responses.json(ctx, reply)).onFailure(ctx::fail);
    }

    /** {@code ?model=NAME&version=V}: which served model answers; the default model's highest version without. */
    static JsonObject modelChoice(RoutingContext ctx) {
        JsonObject choice = new JsonObject();
        String model = ctx.request().getParam(MODEL_PARAM);
        String version = ctx.request().getParam(VERSION_PARAM);
        if (model != null && !model.isEmpty()) {
            choice.put(ClassifierApi.MODEL_NAME, model);
        }
        if (version != null && !version.isEmpty()) {
            choice.put(ClassifierApi.MODEL_VERSION, version);
        }
        return choice;
    }

    private void model(RoutingContext ctx) {
        request(ctx, ClassifierApi.MODEL, modelChoice(ctx))
                .onSuccess(reply -> Responses.json(ctx, reply)).onFailure(ctx::fail);
    }

    /** One event-bus request on behalf of an HTTP request: its id travels along, its timeout is the gateway's. */
    Future<JsonObject> request(RoutingContext ctx, String address, JsonObject message) {
        return request(ctx, address, message, config.busTimeoutMs());
    }

    Future<JsonObject> request(RoutingContext ctx, String address, JsonObject message, long timeoutMs) {
        return request(RequestLogging.requestId(ctx), address, message, timeoutMs);
    }

    /** One event-bus request on behalf of the request with this id (an HTTP request or a gRPC call). */
    Future<JsonObject> request(String requestId, String address, JsonObject message, long timeoutMs) {
        return vertx.eventBus().<JsonObject>request(address, message, RequestLogging.delivery(requestId, timeoutMs))
                .map(Message::body);
    }

    private static void toDataUrl(JsonObject reply, String field) {
        if (reply.containsKey(field)) {
            reply.put(field, PNG_DATA_URL + Base64.getEncoder().encodeToString(reply.getBinary(field)));
        }
    }
}
