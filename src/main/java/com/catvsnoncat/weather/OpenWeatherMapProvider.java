package com.catvsnoncat.weather;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/**
 * OpenWeatherMap's current weather in metric units, the original system's provider (needs an API key). The original
 * geocoded each city name first; the configured coordinates make that call unnecessary.
 */
final class OpenWeatherMapProvider implements WeatherProvider {
    static final String NAME = "openweathermap";
    private static final String PATH = "/data/2.5/weather";

    private final UpstreamClient client;
    private final String baseUrl;
    private final String apiKey;

    OpenWeatherMapProvider(UpstreamClient client, String baseUrl, String apiKey) {
        this.client = client;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Future<Reading> current(City city, long timeoutMs) {
        return client.getJson(UpstreamClient.url(baseUrl, PATH, Map.of(
                        "lat", String.valueOf(city.latitude()),
                        "lon", String.valueOf(city.longitude()),
                        "units", "metric",
                        "appid", apiKey)), timeoutMs)
                .map(OpenWeatherMapProvider::parse);
    }

    /** Reads {@code {"main": {"temp", "humidity"}, "weather": [{"id", "description", "icon"}]}}. */
    static Reading parse(JsonObject answer) {
        JsonObject main = UpstreamJson.object(answer, "main");
        JsonObject weather = UpstreamJson.firstObject(answer, "weather");
        String icon = WeatherCodes.openWeatherMapIcon(UpstreamJson.number(weather, "id").intValue());
        return new Reading(UpstreamJson.number(main, "temp").doubleValue(),
                (int) Math.round(UpstreamJson.number(main, "humidity").doubleValue()),
                sentenceCase(weather.getValue("description") instanceof String text ? text : icon), icon,
                WeatherCodes.openWeatherMapIconCode(weather.getValue("icon")));
    }

    /** "scattered clouds" -> "Scattered clouds", like the Open-Meteo texts. */
    private static String sentenceCase(String text) {
        return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
    }
}
