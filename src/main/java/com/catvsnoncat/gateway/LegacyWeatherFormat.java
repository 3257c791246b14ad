package com.catvsnoncat.gateway;

import com.catvsnoncat.weather.WeatherApi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Our {@link WeatherApi#CURRENT} reply in the original system's {@code POST /weather} shape, for pages written
 * against it: {@code {"weather_list": [{"name", "main": {"temp", "humidity"}, "weather": [{"main", "description",
 * "icon"}]}], "elapsed": seconds}}. The original passed OpenWeatherMap's answer through (its page reads
 * {@code main.temp}, {@code main.humidity} and {@code weather[0].icon}, an OpenWeatherMap icon code, which we give
 * for Open-Meteo's readings too), left out cities that failed and sorted the rest by name; so does this.
 */
final class LegacyWeatherFormat {
    static final String WEATHER_LIST = "weather_list";
    static final String ELAPSED = "elapsed";

    /** Our icon names as OpenWeatherMap's condition groups. */
    private static final Map<String, String> GROUPS = Map.of(
            "clear", "Clear",
            "partly-cloudy", "Clouds",
            "cloudy", "Clouds",
            "fog", "Fog",
            "drizzle", "Drizzle",
            "rain", "Rain",
            "snow", "Snow",
            "thunderstorm", "Thunderstorm");

    private static final double MILLIS_PER_SECOND = 1000.0;

    private LegacyWeatherFormat() {
    }

    /**
     * @param reply a {@link WeatherApi#CURRENT} reply
     * @return the cities that have readings, sorted by name as the original sorted them; an empty list when none
     *         has (the caller answers that with the original's 500)
     */
    static JsonObject from(JsonObject reply) {
        List<JsonObject> cities = new ArrayList<>();
        for (Object entry : reply.getJsonArray(WeatherApi.CITIES)) {
            JsonObject city = (JsonObject) entry;
            if (!city.containsKey(WeatherApi.ERROR)) {
                cities.add(legacyCity(city));
            }
        }
        cities.sort(Comparator.comparing(city -> city.getString("name")));
        return new JsonObject()
                .put(WEATHER_LIST, new JsonArray(new ArrayList<Object>(cities)))
                .put(ELAPSED, reply.getLong(WeatherApi.ELAPSED_MS) / MILLIS_PER_SECOND);
    }

    private static JsonObject legacyCity(JsonObject city) {
        return new JsonObject()
                .put("name", city.getString(WeatherApi.NAME))
                .put("main", new JsonObject()
                        .put("temp", city.getDouble(WeatherApi.TEMPERATURE))
                        .put("humidity", city.getInteger(WeatherApi.HUMIDITY)))
                .put("weather", new JsonArray().add(new JsonObject()
                        .put("main", GROUPS.getOrDefault(city.getString(WeatherApi.ICON), "Unknown"))
                        .put("description", city.getString(WeatherApi.CONDITION))
                        .put("icon", city.getString(WeatherApi.ICON_CODE))));
    }
}
