package com.catvsnoncat.weather;

/**
 * The weather service's event-bus contract. {@link #CURRENT}: request {@code {}} (or {@code {"cities": ["Seattle"]}}
 * to pick among the configured cities) -> {@code {"cities": [{"name", "temperature" (deg C), "humidity" (%),
 * "condition" (text), "icon" (one of the names in {@link #ICONS}), "iconCode" (the OpenWeatherMap icon code, such as "10n"), "stale" (true when served from cache after an
 * upstream failure), "error" (present instead of the readings when the city failed)}], "elapsedMs",
 * "concurrency", "provider"}}, cities sorted by name. A failing upstream never fails the request: each city carries
 * its own error. Failure codes ({@link com.catvsnoncat.bus.Failure}) only for malformed requests (400).
 */
public final class WeatherApi {
    public static final String CURRENT = "catvsnoncat.weather.current";

    public static final String CITIES = "cities";
    public static final String NAME = "name";
    public static final String TEMPERATURE = "temperature";
    public static final String HUMIDITY = "humidity";
    public static final String CONDITION = "condition";
    public static final String ICON = "icon";
    public static final String ICON_CODE = "iconCode";
    public static final String STALE = "stale";
    public static final String ERROR = "error";
    public static final String ELAPSED_MS = "elapsedMs";
    public static final String CONCURRENCY = "concurrency";
    public static final String PROVIDER = "provider";

    /** Icons the page draws itself (no calls to the provider's icon server). */
    public static final String[] ICONS = {"clear", "partly-cloudy", "cloudy", "fog", "drizzle", "rain", "snow",
        "thunderstorm", "unknown"};

    private WeatherApi() {
    }
}
