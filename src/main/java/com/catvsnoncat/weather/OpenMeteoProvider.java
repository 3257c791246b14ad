package com.catvsnoncat.weather;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

/** Open-Meteo's forecast API (no key needed): the current temperature, humidity and WMO weather code. */
final class OpenMeteoProvider implements WeatherProvider {
    static final String NAME = "open-meteo";
    private static final String PATH = "/v1/forecast";
    private static final String CURRENT_FIELDS = "temperature_2m,relative_humidity_2m,weather_code";

    private final WebClient client;
    private final String baseUrl;

    OpenMeteoProvider(WebClient client, String baseUrl) {
        this.client = client;
        this.baseUrl = baseUrl;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Future<Reading> current(City city, long timeoutMs) {
        return client.getAbs(baseUrl + PATH)
                .addQueryParam("latitude", String.valueOf(city.latitude()))
                .addQueryParam("longitude", String.valueOf(city.longitude()))
                .addQueryParam("current", CURRENT_FIELDS)
                .timeout(timeoutMs)
                .send()
                .map(UpstreamJson::body)
                .map(OpenMeteoProvider::parse);
    }

    /** Reads {@code {"current": {"temperature_2m", "relative_humidity_2m", "weather_code"}}}. */
    static Reading parse(JsonObject answer) {
        JsonObject current = UpstreamJson.object(answer, "current");
        WeatherCodes.Condition condition = WeatherCodes.wmo(UpstreamJson.number(current, "weather_code").intValue());
        return new Reading(UpstreamJson.number(current, "temperature_2m").doubleValue(),
                (int) Math.round(UpstreamJson.number(current, "relative_humidity_2m").doubleValue()),
                condition.text(), condition.icon());
    }
}
