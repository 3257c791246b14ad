package com.catvsnoncat.weather;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Our {@link WeatherApi#CURRENT} reply in the original system's {@code POST /weather} shape, for pages written
 * against it: {@code {"weather_list": [{"name", "main": {"temp", "humidity"}, "weather": [{"main", "description",
 * "icon"}]}], "elapsed": seconds}}. The original passed OpenWeatherMap's answer through (its page reads
 * {@code main.temp}, {@code main.humidity} and {@code weather[0].icon}, an OpenWeatherMap icon code) and left out
 * cities that failed; so does this.
 */
public final class LegacyWeatherFormat {
    public static final String WEATHER_LIST = "weather_list";
    public static final String ELAPSED = "elapsed";

    private record OpenWeatherMapCondition(String main, String icon) {
    }

    /** Our icon names as OpenWeatherMap's day icons and condition groups. */
    private static final Map<String, OpenWeatherMapCondition> CONDITIONS = Map.of(
            "clear", new OpenWeatherMapCondition("Clear", "01d"),
            "partly-cloudy", new OpenWeatherMapCondition("Clouds", "02d"),
            "cloudy", new OpenWeatherMapCondition("Clouds", "04d"),
            "fog", new OpenWeatherMapCondition("Fog", "50d"),
            "drizzle", new OpenWeatherMapCondition("Drizzle", "09d"),
            "rain", new OpenWeatherMapCondition("Rain", "10d"),
            "snow", new OpenWeatherMapCondition("Snow", "13d"),
            "thunderstorm", new OpenWeatherMapCondition("Thunderstorm", "11d"));
    /** OpenWeatherMap has no "unknown" icon; scattered clouds is the most neutral one. */
    private static final OpenWeatherMapCondition UNKNOWN = new OpenWeatherMapCondition("Unknown", "03d");

    private static final double MILLIS_PER_SECOND = 1000.0;

    private LegacyWeatherFormat() {
    }

    /** @param reply a {@link WeatherApi#CURRENT} reply */
    public static JsonObject from(JsonObject reply) {
        JsonArray list = new JsonArray();
        for (Object entry : reply.getJsonArray(WeatherApi.CITIES)) {
            JsonObject city = (JsonObject) entry;
            if (!city.containsKey(WeatherApi.ERROR)) {
                list.add(legacyCity(city));
            }
        }
        return new JsonObject()
                .put(WEATHER_LIST, list)
                .put(ELAPSED, reply.getLong(WeatherApi.ELAPSED_MS) / MILLIS_PER_SECOND);
    }

    private static JsonObject legacyCity(JsonObject city) {
        OpenWeatherMapCondition condition = CONDITIONS.getOrDefault(city.getString(WeatherApi.ICON), UNKNOWN);
        return new JsonObject()
                .put("name", city.getString(WeatherApi.NAME))
                .put("main", new JsonObject()
                        .put("temp", city.getDouble(WeatherApi.TEMPERATURE))
                        .put("humidity", city.getInteger(WeatherApi.HUMIDITY)))
                .put("weather", new JsonArray().add(new JsonObject()
                        .put("main", condition.main())
                        .put("description", city.getString(WeatherApi.CONDITION))
                        .put("icon", condition.icon())));
    }
}
