package com.catvsnoncat.weather;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 that answers like Open-Meteo ({@code /v1/forecast}) and OpenWeatherMap
 * ({@code /data/2.5/weather}), and can be told to be slow, fail with 503, send garbage, close the connection, answer
 * 429 with a Retry-After, send a huge answer or drip one byte every 100 ms without end, for every city or for one (by
 * latitude). It counts requests, those in flight and the most it had in flight at once.
 */
final class FakeWeatherUpstream {
    enum Mode { OK, SERVER_ERROR, GARBAGE, CLOSE, RATE_LIMITED, HUGE, DRIP }

    /** The Retry-After of {@link Mode#RATE_LIMITED} answers, in seconds. */
    static final int RETRY_AFTER_SECONDS = 60;
    /** The size of {@link Mode#HUGE} answers. */
    static final int HUGE_BYTES = 1 << 20;

    /** What the fake knows about the weather: one reading per default city. */
    record Weather(double temperature, int humidity, int wmoCode, int openWeatherMapId) {
    }

    static final Map<Double, Weather> WEATHER = Map.of(
            34.0522, new Weather(21.5, 40, 0, 800),   // Los Angeles: clear
            47.6062, new Weather(9.0, 85, 61, 500),   // Seattle: rain
            25.7617, new Weather(28.3, 70, 95, 211),  // Miami: thunderstorm
            30.2672, new Weather(25.0, 50, 2, 802),   // Austin: partly cloudy
            37.4386, new Weather(-3.5, 60, 71, 600)); // Seongnam-si: snow
    static final Weather ELSEWHERE = new Weather(15.0, 55, 3, 804);
    static final String API_KEY = "test-key";

    private record Plan(Mode mode, long delayMs) {
    }

    private final Vertx vertx;
    private final Map<Double, Plan> plansByLatitude = new ConcurrentHashMap<>();
    private volatile Plan plan = new Plan(Mode.OK, 0);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final List<Runnable> held = new ArrayList<>();
    private int holdUntil;
    private HttpServer server;

    private FakeWeatherUpstream(Vertx vertx) {
        this.vertx = vertx;
    }

    static FakeWeatherUpstream start(Vertx vertx) {
        FakeWeatherUpstream fake = new FakeWeatherUpstream(vertx);
        fake.server = vertx.createHttpServer().requestHandler(fake::handle).listen(0, "127.0.0.1").await();
        return fake;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** Every city answers this way (cities set with {@link #city} excepted). */
    FakeWeatherUpstream everyCity(Mode mode, long delayMs) {
        plan = new Plan(mode, delayMs);
        return this;
    }

    FakeWeatherUpstream city(double latitude, Mode mode, long delayMs) {
        plansByLatitude.put(latitude, new Plan(mode, delayMs));
        return this;
    }

    /**
     * Holds every answer until this many requests are in flight at once, then releases them all: the answers only
     * come if the client really sends that many requests concurrently.
     */
    synchronized FakeWeatherUpstream holdUntilInFlight(int requests) {
        holdUntil = requests;
        return this;
    }

    int requests() {
        return requests.get();
    }

    int inFlight() {
        return inFlight.get();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    private void handle(HttpServerRequest request) {
        requests.incrementAndGet();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        AtomicBoolean finished = new AtomicBoolean();
        Runnable leave = () -> {
            if (finished.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        };
        request.response().endHandler(v -> leave.run()).closeHandler(v -> leave.run());

        double latitude = Double.parseDouble(coordinate(request, "latitude", "lat"));
        Plan answer = plansByLatitude.getOrDefault(latitude, plan);
        Runnable respond = () -> respond(request, answer.mode(), latitude);
        if (answer.delayMs() > 0) {
            vertx.setTimer(answer.delayMs(), id -> respond.run());
        } else if (!hold(respond)) {
            respond.run();
        }
    }

    /** @return whether the answer is held (and may have been released with the others just now) */
    private synchronized boolean hold(Runnable respond) {
        if (holdUntil == 0) {
            return false;
        }
        held.add(respond);
        if (inFlight.get() >= holdUntil) {
            holdUntil = 0;
            held.forEach(Runnable::run);
            held.clear();
        }
        return true;
    }

    private static String coordinate(HttpServerRequest request, String openMeteoName, String openWeatherMapName) {
        String value = request.getParam(openMeteoName);
        return value != null ? value : request.getParam(openWeatherMapName);
    }

    private void respond(HttpServerRequest request, Mode mode, double latitude) {
        switch (mode) {
            case SERVER_ERROR -> request.response().setStatusCode(503).end("{\"error\": \"overloaded\"}");
            case GARBAGE -> request.response().putHeader("content-type", "application/json").end("{\"current\": [1, 2");
            case CLOSE -> request.connection().close();
            case RATE_LIMITED -> request.response().setStatusCode(429)
                    .putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)).end("{\"reason\": \"slow down\"}");
            case HUGE -> request.response().putHeader("content-type", "application/json")
                    .end("{\"padding\": \"" + "x".repeat(HUGE_BYTES) + "\"}");
            case DRIP -> drip(request);
            case OK -> answer(request, WEATHER.getOrDefault(latitude, ELSEWHERE));
        }
    }

    /** Headers, then one byte every 100 ms until the client goes away. */
    private void drip(HttpServerRequest request) {
        request.response().setChunked(true).putHeader("content-type", "application/json").write("{");
        long timer = vertx.setPeriodic(100, id -> request.response().write(" "));
        request.connection().closeHandler(v -> vertx.cancelTimer(timer));
    }

    private void answer(HttpServerRequest request, Weather weather) {
        JsonObject body;
        if (request.path().equals("/v1/forecast")) {
            body = new JsonObject().put("current", new JsonObject()
                    .put("time", "2025-01-01T12:00").put("interval", 900)
                    .put("temperature_2m", weather.temperature())
                    .put("relative_humidity_2m", weather.humidity())
                    .put("weather_code", weather.wmoCode()));
        } else if (request.path().equals("/data/2.5/weather")) {
            if (!API_KEY.equals(request.getParam("appid")) || !"metric".equals(request.getParam("units"))) {
                request.response().setStatusCode(401).end("{\"cod\": 401, \"message\": \"Invalid API key\"}");
                return;
            }
            body = new JsonObject()
                    .put("weather", new JsonArray().add(new JsonObject().put("id", weather.openWeatherMapId())
                            .put("main", "Weather").put("description", "as the fake says").put("icon", "01d")))
                    .put("main", new JsonObject().put("temp", weather.temperature()).put("humidity", weather.humidity()))
                    .put("name", "Somewhere");
        } else {
            request.response().setStatusCode(404).end();
            return;
        }
        request.response().putHeader("content-type", "application/json").end(body.encode());
    }
}
