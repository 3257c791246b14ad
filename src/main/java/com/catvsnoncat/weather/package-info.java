/**
 * The weather service: answers the current weather of a list of cities on the event bus
 * ({@link com.catvsnoncat.weather.WeatherApi}), from Open-Meteo or OpenWeatherMap, with a cache, a concurrency
 * limit, a circuit breaker and a deadline per request.
 *
 * <p>May use: bus, config.
 */
package com.catvsnoncat.weather;
