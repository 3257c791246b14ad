package com.catvsnoncat.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Open-Meteo's forecast endpoint on 127.0.0.1: {@code GET /v1/forecast?latitude=..&longitude=..} answers the
 * current readings of the configured city at those coordinates, each city with its own temperature, humidity and
 * WMO weather code so the page's rendering of every field can be checked.
 */
final class FakeOpenMeteo {
    /** WMO codes and the icons the application maps them to, one per city in turn. */
    private static final int[] CODES = {0, 2, 61, 71, 95};
    private static final String[] ICONS = {"clear", "partly-cloudy", "rain", "snow", "thunderstorm"};

    record City(String name, double latitude, double longitude, double temperature, int humidity, int code,
                String icon) {
    }

    private final HttpServer server;
    private final List<City> cities;

    private FakeOpenMeteo(HttpServer server, List<City> cities) {
        this.server = server;
        this.cities = cities;
    }

    /** @param configured the application's "weather.cities": [{name, latitude, longitude}] */
    static FakeOpenMeteo start(Vertx vertx, JsonArray configured) {
        List<City> cities = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            JsonObject city = configured.getJsonObject(i);
            cities.add(new City(city.getString("name"), city.getDouble("latitude"), city.getDouble("longitude"),
                    -5.5 + 7.25 * i, 35 + 12 * i, CODES[i % CODES.length], ICONS[i % ICONS.length]));
        }
        HttpServer server = vertx.createHttpServer()
                .requestHandler(request -> answer(request, cities))
                .listen(0, "127.0.0.1").await();
        return new FakeOpenMeteo(server, List.copyOf(cities));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    List<City> cities() {
        return cities;
    }

    private static void answer(HttpServerRequest request, List<City> cities) {
        if (!request.path().equals("/v1/forecast")) {
            request.response().setStatusCode(404).end();
            return;
        }
        double latitude = Double.parseDouble(request.getParam("latitude"));
        double longitude = Double.parseDouble(request.getParam("longitude"));
        City city = cities.stream()
                .filter(c -> Math.abs(c.latitude() - latitude) < 1e-6 && Math.abs(c.longitude() - longitude) < 1e-6)
                .findFirst().orElse(null);
        if (city == null) {
            request.response().setStatusCode(400)
                    .end(new JsonObject().put("error", true).put("reason", "unknown coordinates").encode());
            return;
        }
        request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                .put("latitude", latitude)
                .put("longitude", longitude)
                .put("current", new JsonObject()
                        .put("time", "2024-05-01T12:00")
                        .put("temperature_2m", city.temperature())
                        .put("relative_humidity_2m", city.humidity())
                        .put("weather_code", city.code()))
                .encode());
    }
}
