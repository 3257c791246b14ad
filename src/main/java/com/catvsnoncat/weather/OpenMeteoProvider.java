package com.catvsnoncat.weather;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** Open-Meteo's forecast API (no key needed): the current temperature, humidity and WMO weather code. */
final class OpenMeteoProvider implements WeatherProvider {
    static final String NAME = "open-meteo";
    private static final String PATH = "/v1/forecast";
    private static final String CURRENT_FIELDS = "temperature_2m,relative_humidity_2m,weather_code,is_day";

    private final UpstreamClient client;
    private final String baseUrl;

    OpenMeteoProvider(UpstreamClient client, String baseUrl) {
        this.client = client;
        this.baseUrl = baseUrl;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Future<Reading> current(City city, long timeoutMs) {
        return client.getJson(UpstreamClient.url(baseUrl, PATH, Map.of(
                        "latitude", String.valueOf(city.latitude()),
                        "longitude", String.valueOf(city.longitude()),
                        "current", CURRENT_FIELDS)), timeoutMs)
                .map(OpenMeteoProvider::parse);
    }

    /** Reads {@code {"current": {"temperature_2m", "relative_humidity_2m", "weather_code", "is_day"}}}. */
    static Reading parse(JsonObject answer) {
        JsonObject current = UpstreamJson.object(answer, "current");
        WeatherCodes.Condition condition = WeatherCodes.wmo(UpstreamJson.number(current, "weather_code").intValue());
        // Missing is_day (an older answer) counts as day, OpenWeatherMap's more familiar icons.
        boolean day = !(current.getValue("is_day") instanceof Number isDay) || isDay.intValue() != 0;
        return new Reading(UpstreamJson.number(current, "temperature_2m").doubleValue(),
                (int) Math.round(UpstreamJson.number(current, "relative_humidity_2m").doubleValue()),
                condition.text(), condition.icon(),
                WeatherCodes.atTimeOfDay(condition.iconCode(), day));
    }
}
