package com.catvsnoncat.weather;

/**
 * One city's current weather, whichever provider it came from.
 *
 * @param temperature degrees Celsius
 * @param humidity    relative humidity in percent
 * @param condition   a short text such as "Partly cloudy"
 * @param icon        one of {@link WeatherApi#ICONS}
 * @param iconCode    the OpenWeatherMap icon code for the same weather ("10n"), for the original system's page
 */
record Reading(double temperature, int humidity, String condition, String icon, String iconCode) {
}
