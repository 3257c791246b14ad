package com.catvsnoncat.weather;

import io.vertx.core.Future;

/** A weather API that reads the current weather at a city's coordinates. */
interface WeatherProvider {
    /** The name the reply carries in {@link WeatherApi#PROVIDER}. */
    String name();

    /**
     * @param timeoutMs how long the upstream may take to answer
     * @return the reading; a failed future (classified by {@link UpstreamException#of}) when the upstream fails
     */
    Future<Reading> current(City city, long timeoutMs);
}
