package com.catvsnoncat.weather;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reads a {@link WeatherApi#CURRENT} request: {@code {}} for every configured city, or a chosen few by name. */
final class WeatherRequest {
    private WeatherRequest() {
    }

    /**
     * @param body       the message body: null or a JSON object, optionally with {@code "cities": ["Seattle", ...]}
     * @param configured the configured cities
     * @return the cities to answer, each once
     * @throws IllegalArgumentException with a message for the caller when the request is malformed
     */
    static List<City> cities(Object body, List<City> configured) {
        if (body == null) {
            return configured;
        }
        if (!(body instanceof JsonObject request)) {
            throw new IllegalArgumentException("weather request must be a JSON object");
        }
        Object names = request.getValue(WeatherApi.CITIES);
        if (names == null) {
            return configured;
        }
        if (!(names instanceof JsonArray array) || array.isEmpty()) {
            throw new IllegalArgumentException("cities must be a non-empty array of city names");
        }
        Map<String, City> byName = configured.stream().collect(Collectors.toMap(City::name, Function.identity()));
        Set<City> chosen = new LinkedHashSet<>();
        for (Object name : array) {
            if (!(name instanceof String text)) {
                throw new IllegalArgumentException("cities must be city names (strings), got " + name);
            }
            City city = byName.get(text);
            if (city == null) {
                throw new IllegalArgumentException("unknown city '" + text + "'; known: "
                        + String.join(", ", byName.keySet().stream().sorted().toList()));
            }
            chosen.add(city);
        }
        return List.copyOf(chosen);
    }
}
