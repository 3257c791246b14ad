package com.catvsnoncat.gateway;

import com.catvsnoncat.classifier.ClassifierApi;
import com.catvsnoncat.weather.WeatherApi;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Locale;

/**
 * The original system's routes, field for field, so its page (unchanged) or an Ingress written for it can switch
 * over: {@code POST /web/cat} {@code {"cat_url"}} -> {@code {"cat_url", "go_server": "ok", "python_server": 200,
 * "elapsed", "python_msg"}}, {@code POST /weather} -> {@code {"weather_list", "elapsed"}}, {@code GET /healthz-go}.
 * Its page prints {@code python_msg} only when {@code python_server === 200} (the worker's HTTP status, a number)
 * and prints {@code "Error: " + status + ", " + message} otherwise, so every error here carries {@code message}
 * beside our {@code error}. Elapsed times are in seconds, as numbers.
 */
final class LegacyRoutes {
    static final String CAT_URL = "cat_url";
    /** What the original's gateway said of itself once it had an answer. */
    static final String GATEWAY_OK = "ok";
    private static final double NANOS_PER_SECOND = 1e9;

    private final ApiRoutes api;
    private final ErrorResponses errors;

    /** @param errors answers with the original's {@code message} field */
    LegacyRoutes(ApiRoutes api, ErrorResponses errors) {
        this.api = api;
        this.errors = errors;
    }

    void mount(Router router) {
        router.post("/web/cat").handler(new JsonBody(BoundedJson.CONTROL)).handler(this::cat).failureHandler(errors);
        router.post("/weather").handler(this::weather).failureHandler(errors);
        router.get("/healthz-go").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain")
                .end("ok"));
    }

    private void cat(RoutingContext ctx) {
        long start = System.nanoTime();
        String url;
        try {
            url = catUrl(ctx);
        } catch (RuntimeException e) {
            ctx.fail(e);
            return;
        }
        Future<JsonObject> prediction = api.request(ctx, ClassifierApi.CLASSIFY,
                new JsonObject().put(ClassifierApi.URL, url.trim()));
        Future<JsonObject> model = api.request(ctx, ClassifierApi.MODEL, new JsonObject());
        Future.all(prediction, model).onSuccess(both -> Responses.json(ctx, new JsonObject()
                .put(CAT_URL, url)
                .put("go_server", GATEWAY_OK)
                .put("python_server", HttpResponseStatus.OK.code())
                .put("elapsed", (System.nanoTime() - start) / NANOS_PER_SECOND)
                .put("python_msg", message(prediction.result(), model.result(), url.trim()))))
                .onFailure(ctx::fail);
    }

    private void weather(RoutingContext ctx) {
        api.request(ctx, WeatherApi.CURRENT, new JsonObject()).onSuccess(reply -> {
            JsonObject legacy = LegacyWeatherFormat.from(reply);
            if (legacy.getJsonArray(LegacyWeatherFormat.WEATHER_LIST).isEmpty()) {
                // The original's answer when no city could be fetched.
                errors.send(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR.code(),
                        "no city's weather could be fetched; try again shortly");
            } else {
                Responses.json(ctx, legacy);
            }
        }).onFailure(ctx::fail);
    }

    private static String catUrl(RoutingContext ctx) {
        JsonObject body = JsonBody.of(ctx);
        if (!(body.getValue(CAT_URL) instanceof String url) || url.isBlank()) {
            throw ErrorResponses.badRequest("expected {\"" + CAT_URL + "\": \"https://...\"}");
        }
        return url;
    }

    /** The original worker's words: {@code 4-layer model predicts a "cat" : name.jpg}. */
    static String message(JsonObject prediction, JsonObject model, String url) {
        JsonArray layers = model.getJsonArray("layers");
        int depth = layers == null ? 0 : layers.size() - 1;
        return String.format(Locale.ROOT, "%d-layer model predicts a \"%s\" : %s", depth,
                prediction.getString(ClassifierApi.LABEL), fileName(url));
    }

    static String fileName(String url) {
        String path;
        try {
            path = URI.create(url).getPath();
        } catch (IllegalArgumentException e) {
            path = url;
        }
        if (path == null) {
            return "";
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
