package com.catvsnoncat.weather;

import static java.util.Map.entry;

import java.util.Map;

/** Maps the providers' condition codes to our condition texts and to the icons the page draws itself. */
final class WeatherCodes {
    static final String UNKNOWN_ICON = "unknown";

    record Condition(String text, String icon) {
    }

    private static final Condition UNKNOWN = new Condition("Unknown", UNKNOWN_ICON);

    /** WMO weather interpretation codes, as Open-Meteo documents them. */
    private static final Map<Integer, Condition> WMO = Map.ofEntries(
            entry(0, new Condition("Clear sky", "clear")),
            entry(1, new Condition("Mainly clear", "clear")),
            entry(2, new Condition("Partly cloudy", "partly-cloudy")),
            entry(3, new Condition("Overcast", "cloudy")),
            entry(45, new Condition("Fog", "fog")),
            entry(48, new Condition("Depositing rime fog", "fog")),
            entry(51, new Condition("Light drizzle", "drizzle")),
            entry(53, new Condition("Moderate drizzle", "drizzle")),
            entry(55, new Condition("Dense drizzle", "drizzle")),
            entry(56, new Condition("Light freezing drizzle", "drizzle")),
            entry(57, new Condition("Dense freezing drizzle", "drizzle")),
            entry(61, new Condition("Slight rain", "rain")),
            entry(63, new Condition("Moderate rain", "rain")),
            entry(65, new Condition("Heavy rain", "rain")),
            entry(66, new Condition("Light freezing rain", "rain")),
            entry(67, new Condition("Heavy freezing rain", "rain")),
            entry(71, new Condition("Slight snow fall", "snow")),
            entry(73, new Condition("Moderate snow fall", "snow")),
            entry(75, new Condition("Heavy snow fall", "snow")),
            entry(77, new Condition("Snow grains", "snow")),
            entry(80, new Condition("Slight rain showers", "rain")),
            entry(81, new Condition("Moderate rain showers", "rain")),
            entry(82, new Condition("Violent rain showers", "rain")),
            entry(85, new Condition("Slight snow showers", "snow")),
            entry(86, new Condition("Heavy snow showers", "snow")),
            entry(95, new Condition("Thunderstorm", "thunderstorm")),
            entry(96, new Condition("Thunderstorm with slight hail", "thunderstorm")),
            entry(99, new Condition("Thunderstorm with heavy hail", "thunderstorm")));

    private WeatherCodes() {
    }

    static Condition wmo(int code) {
        return WMO.getOrDefault(code, UNKNOWN);
    }

    /** OpenWeatherMap condition ids: the hundreds give the group, 800-804 split clear sky from clouds. */
    static String openWeatherMapIcon(int id) {
        return switch (id / 100) {
            case 2 -> "thunderstorm";
            case 3 -> "drizzle";
            case 5 -> "rain";
            case 6 -> "snow";
            case 7 -> "fog";
            case 8 -> switch (id) {
                case 800 -> "clear";
                case 801, 802 -> "partly-cloudy";
                case 803, 804 -> "cloudy";
                default -> UNKNOWN_ICON;
            };
            default -> UNKNOWN_ICON;
        };
    }
}
