package com.catvsnoncat.weather;

import static java.util.Map.entry;

import java.util.Map;

/** Maps the providers' condition codes to our condition texts and to the icons the page draws itself. */
final class WeatherCodes {
    static final String UNKNOWN_ICON = "unknown";

    /** OpenWeatherMap has no "unknown" icon; scattered clouds is the most neutral one. */
    static final String UNKNOWN_ICON_CODE = "03d";

    /**
     * @param iconCode the OpenWeatherMap icon code (day variant) OpenWeatherMap would show for the same weather, for
     *                 pages written against its answers
     */
    record Condition(String text, String icon, String iconCode) {
    }

    private static final Condition UNKNOWN = new Condition("Unknown", UNKNOWN_ICON, UNKNOWN_ICON_CODE);

    /**
     * WMO weather interpretation codes, as Open-Meteo documents them. The icon codes follow OpenWeatherMap's own
     * table: mainly clear is its "few clouds" (02d), partly cloudy "scattered clouds" (03d), showers "shower rain"
     * (09d), freezing rain is filed under snow (13d) as OpenWeatherMap files its code 511.
     */
    private static final Map<Integer, Condition> WMO = Map.ofEntries(
            entry(0, new Condition("Clear sky", "clear", "01d")),
            entry(1, new Condition("Mainly clear", "clear", "02d")),
            entry(2, new Condition("Partly cloudy", "partly-cloudy", "03d")),
            entry(3, new Condition("Overcast", "cloudy", "04d")),
            entry(45, new Condition("Fog", "fog", "50d")),
            entry(48, new Condition("Depositing rime fog", "fog", "50d")),
            entry(51, new Condition("Light drizzle", "drizzle", "09d")),
            entry(53, new Condition("Moderate drizzle", "drizzle", "09d")),
            entry(55, new Condition("Dense drizzle", "drizzle", "09d")),
            entry(56, new Condition("Light freezing drizzle", "drizzle", "09d")),
            entry(57, new Condition("Dense freezing drizzle", "drizzle", "09d")),
            entry(61, new Condition("Slight rain", "rain", "10d")),
            entry(63, new Condition("Moderate rain", "rain", "10d")),
            entry(65, new Condition("Heavy rain", "rain", "10d")),
            entry(66, new Condition("Light freezing rain", "rain", "13d")),
            entry(67, new Condition("Heavy freezing rain", "rain", "13d")),
            entry(71, new Condition("Slight snow fall", "snow", "13d")),
            entry(73, new Condition("Moderate snow fall", "snow", "13d")),
            entry(75, new Condition("Heavy snow fall", "snow", "13d")),
            entry(77, new Condition("Snow grains", "snow", "13d")),
            entry(80, new Condition("Slight rain showers", "rain", "09d")),
            entry(81, new Condition("Moderate rain showers", "rain", "09d")),
            entry(82, new Condition("Violent rain showers", "rain", "09d")),
            entry(85, new Condition("Slight snow showers", "snow", "13d")),
            entry(86, new Condition("Heavy snow showers", "snow", "13d")),
            entry(95, new Condition("Thunderstorm", "thunderstorm", "11d")),
            entry(96, new Condition("Thunderstorm with slight hail", "thunderstorm", "11d")),
            entry(99, new Condition("Thunderstorm with heavy hail", "thunderstorm", "11d")));

    private WeatherCodes() {
    }

    static Condition wmo(int code) {
        return WMO.getOrDefault(code, UNKNOWN);
    }

    /** The day or night variant of an OpenWeatherMap icon code ("01d" / "01n"). */
    static String atTimeOfDay(String iconCode, boolean day) {
        return iconCode.substring(0, 2) + (day ? 'd' : 'n');
    }

    /** An icon code as OpenWeatherMap sends it ("10n"), or the neutral one when the answer has none. */
    static String openWeatherMapIconCode(Object icon) {
        return icon instanceof String code && code.matches("\\d\\d[dn]") ? code : UNKNOWN_ICON_CODE;
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
