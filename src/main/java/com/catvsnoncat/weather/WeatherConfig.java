package com.catvsnoncat.weather;

import com.catvsnoncat.config.ConfigValues;
import com.catvsnoncat.config.Defaults;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The "weather" section of the configuration, over the defaults in {@code config/defaults.json} (the one place
 * default values are written), checked once at start so a mistake fails the deployment with the key's name.
 *
 * @param provider           {@value OpenMeteoProvider#NAME} or {@value OpenWeatherMapProvider#NAME}, resolved from
 *                           "provider" ("auto" picks OpenWeatherMap when an API key is configured)
 * @param concurrency        the most upstream requests in flight at once
 * @param deadlineMs         the whole answer is complete within this; cities not done get "timed out"
 * @param cacheTtlMs         a reading younger than this is served without an upstream call
 * @param breakerMaxFailures upstream failures in a row (a success resets the count; vertx-circuit-breaker only
 *                           counts those of the last 10 s) that open the circuit
 * @param breakerResetMs     how long the circuit stays open before one call is let through
 * @param maxResponseBytes   the largest upstream answer read; a larger one is a bad answer
 * @param maxRetryAfterMs    the longest Retry-After of a 429 answer that is honoured (no upstream calls meanwhile);
 *                           a longer one is cut to this, so a wrong header cannot turn the weather off for days
 * @param openMeteoUrl       Open-Meteo's base URL (tests point it at a fake server)
 * @param openWeatherMapUrl  OpenWeatherMap's base URL
 * @param apiKey             the OpenWeatherMap key, or null
 * @param cities             the cities answered by default, by name and coordinates
 */
record WeatherConfig(String provider, int concurrency, long deadlineMs, long cacheTtlMs, int breakerMaxFailures,
                       long breakerResetMs, long maxResponseBytes, long maxRetryAfterMs, String openMeteoUrl,
                       String openWeatherMapUrl, String apiKey, List<City> cities) {
    static final String SECTION = "weather";
    static final String AUTO = "auto";

    /**
     * @param config the verticle's configuration: either the whole application configuration (the "weather"
     *               section is used) or the section itself; missing keys take the defaults
     */
    static WeatherConfig from(JsonObject config) {
        JsonObject section = config.getValue(SECTION) instanceof JsonObject nested ? nested : config;
        JsonObject merged = Defaults.section(SECTION).mergeIn(section, true);
        JsonObject breaker = merged.getJsonObject("breaker");
        JsonObject openWeatherMap = merged.getJsonObject("openWeatherMap");
        String apiKey = openWeatherMap.getValue("apiKey") instanceof String key && !key.isBlank() ? key : null;
        return new WeatherConfig(
                provider(merged.getValue("provider"), apiKey),
                Math.toIntExact(ConfigValues.integer("weather", merged, "concurrency", 1)),
                ConfigValues.integer("weather", merged, "deadlineMs", 1),
                ConfigValues.integer("weather", merged, "cacheTtlMs", 0),
                Math.toIntExact(ConfigValues.integer("weather", breaker, "maxFailures", 1)),
                ConfigValues.integer("weather", breaker, "resetMs", 1),
                ConfigValues.integer("weather", merged, "maxResponseBytes", 1),
                ConfigValues.integer("weather", merged, "maxRetryAfterMs", 0),
                url(merged.getJsonObject("openMeteo"), "openMeteo"),
                url(openWeatherMap, "openWeatherMap"),
                apiKey,
                cities(merged.getValue("cities")));
    }

    private static String provider(Object value, String apiKey) {
        if (AUTO.equals(value)) {
            return apiKey != null ? OpenWeatherMapProvider.NAME : OpenMeteoProvider.NAME;
        }
        if (OpenWeatherMapProvider.NAME.equals(value) && apiKey == null) {
            throw new IllegalArgumentException("weather config: provider " + value + " needs openWeatherMap.apiKey");
        }
        if (OpenWeatherMapProvider.NAME.equals(value) || OpenMeteoProvider.NAME.equals(value)) {
            return (String) value;
        }
        throw new IllegalArgumentException("weather config: provider must be " + AUTO + ", " + OpenMeteoProvider.NAME
                + " or " + OpenWeatherMapProvider.NAME + ", got " + value);
    }

    private static List<City> cities(Object value) {
        if (!(value instanceof JsonArray array) || array.isEmpty()) {
            throw new IllegalArgumentException("weather config: cities must be a non-empty array");
        }
        List<City> cities = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Object entry : array) {
            if (!(entry instanceof JsonObject json)) {
                throw new IllegalArgumentException("weather config: each city must be {name, latitude, longitude}");
            }
            City city = City.fromJson(json);
            if (!names.add(city.name())) {
                throw new IllegalArgumentException("weather config: city " + city.name() + " is listed twice");
            }
            cities.add(city);
        }
        return List.copyOf(cities);
    }

    private static String url(JsonObject provider, String name) {
        String url = provider.getValue("baseUrl") instanceof String text ? text : "";
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("weather config: " + name + ".baseUrl must be an http(s) URL, got "
                    + provider.getValue("baseUrl"));
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
