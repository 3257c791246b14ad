package com.catvsnoncat.gateway;

import com.catvsnoncat.classifier.ClassifierApi;
import com.catvsnoncat.weather.LegacyWeatherFormat;
import com.catvsnoncat.weather.WeatherApi;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Locale;

/**
 * The original system's routes, with its field names, so its page or an Ingress written for it can switch over:
 * {@code POST /web/cat} {@code {"cat_url"}} -> {@code {"cat_url", "go_server", "python_server", "elapsed",
 * "python_msg"}}, {@code POST /weather} -> {@code {"weather_list", "elapsed"}}, {@code GET /healthz-go}. The
 * original's gateway and worker ran in separate pods, named in go_server and python_server; here both are this
 * host. Elapsed times are in seconds, as numbers.
 */
final class LegacyRoutes {
    static final String CAT_URL = "cat_url";
    private static final double NANOS_PER_SECOND = 1e9;

    private final ApiRoutes api;
    private final String hostName;

    LegacyRoutes(ApiRoutes api, String hostName) {
        this.api = api;
        this.hostName = hostName;
    }

    void mount(Router router) {
        router.post("/web/cat").handler(new JsonBody(BoundedJson.CONTROL)).handler(this::cat);
        router.post("/weather").handler(this::weather);
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
                new JsonObject().put(ClassifierApi.URL, url));
        Future<JsonObject> model = api.request(ctx, ClassifierApi.MODEL, new JsonObject());
        Future.all(prediction, model).onSuccess(both -> Responses.json(ctx, new JsonObject()
                .put(CAT_URL, url)
                .put("go_server", hostName)
                .put("python_server", hostName)
                .put("elapsed", (System.nanoTime() - start) / NANOS_PER_SECOND)
                .put("python_msg", message(prediction.result(), model.result(), url))))
                .onFailure(ctx::fail);
    }

    private void weather(RoutingContext ctx) {
        api.request(ctx, WeatherApi.CURRENT, new JsonObject())
                .onSuccess(reply -> Responses.json(ctx, LegacyWeatherFormat.from(reply)))
                .onFailure(ctx::fail);
    }

    private static String catUrl(RoutingContext ctx) {
        JsonObject body = JsonBody.of(ctx);
        if (!(body.getValue(CAT_URL) instanceof String url) || url.isBlank()) {
            throw ErrorResponses.badRequest("expected {\"" + CAT_URL + "\": \"https://...\"}");
        }
        return url.trim();
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
