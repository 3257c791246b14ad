package com.catvsnoncat.weather;

import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.BlockedThreads;
import com.catvsnoncat.weather.FakeWeatherUpstream.Mode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Upstream latency and failures land in the Vert.x Micrometer registry, tagged by city (and reason). */
class WeatherMetricsTest {
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final Vertx vertx = Vertx.builder()
            .with(BlockedThreads.vertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
            .withMetrics(new MicrometerMetricsFactory(registry))
            .build();

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void recordsUpstreamLatencyByCityAndFailuresByCityAndReason() throws Exception {
        FakeWeatherUpstream fake = FakeWeatherUpstream.start(vertx).city(47.6062, Mode.SERVER_ERROR, 0);
        vertx.deployVerticle(new WeatherVerticle(), new DeploymentOptions().setConfig(new JsonObject()
                .put("openMeteo", new JsonObject().put("baseUrl", fake.baseUrl()))))
                .await(10, TimeUnit.SECONDS);

        vertx.eventBus().request(WeatherApi.CURRENT, new JsonObject()).await(10, TimeUnit.SECONDS);

        assertThat(registry.get(WeatherMetrics.LATENCY).tag("city", "Miami").timer().count()).isEqualTo(1);
        assertThat(registry.get(WeatherMetrics.LATENCY).timers()).hasSize(5);
        assertThat(registry.get(WeatherMetrics.FAILURES).tag("city", "Seattle").tag("reason", "http_status")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.find(WeatherMetrics.FAILURES).tag("city", "Miami").counter()).isNull();
    }
}
