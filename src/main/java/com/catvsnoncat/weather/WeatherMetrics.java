package com.catvsnoncat.weather;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Upstream latency by city and failures by city and reason, in the Vert.x Micrometer registry; does nothing when
 * metrics are off (no registry).
 */
final class WeatherMetrics {
    static final String LATENCY = "weather.upstream.latency";
    static final String FAILURES = "weather.upstream.failures";

    private final MeterRegistry registry;

    /** @param registry null when metrics are off */
    WeatherMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void latency(City city, long nanos) {
        if (registry != null) {
            Timer.builder(LATENCY).tag("city", city.name()).publishPercentileHistogram().register(registry)
                    .record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    void failure(City city, UpstreamException.Reason reason) {
        if (registry != null) {
            Counter.builder(FAILURES).tag("city", city.name()).tag("reason", reason.tag()).register(registry)
                    .increment();
        }
    }
}
