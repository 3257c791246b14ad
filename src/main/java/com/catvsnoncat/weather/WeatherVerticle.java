package com.catvsnoncat.weather;

import com.catvsnoncat.bus.Failure;
import com.catvsnoncat.bus.RequestIds;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weather service: answers {@link WeatherApi#CURRENT} on the event bus. Configured by the "weather" section
 * (see {@link WeatherConfig}). Each instance has its own cache, concurrency limit and circuit breaker, so deploy
 * one instance (the work is a few small HTTP calls).
 */
public final class WeatherVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(WeatherVerticle.class);
    /** A status no {@link Failure} code uses: only reached through a bug, the service recovers every city. */
    private static final int INTERNAL_ERROR = 500;

    private HttpClient client;
    private CircuitBreaker breaker;

    @Override
    public Future<?> start() {
        WeatherConfig settings = WeatherConfig.from(config());
        // The pool must not be the bottleneck: it allows as many connections as requests may be in flight.
        client = vertx.createHttpClient(new HttpClientOptions(),
                new PoolOptions().setHttp1MaxSize(settings.concurrency()));
        UpstreamClient upstream = new UpstreamClient(vertx, client, settings.maxResponseBytes(),
                System::currentTimeMillis);
        WeatherProvider provider = OpenWeatherMapProvider.NAME.equals(settings.provider())
                ? new OpenWeatherMapProvider(upstream, settings.openWeatherMapUrl(), settings.apiKey())
                : new OpenMeteoProvider(upstream, settings.openMeteoUrl());
        breaker = CircuitBreaker.create("weather-" + provider.name(), vertx, new CircuitBreakerOptions()
                        .setMaxFailures(settings.breakerMaxFailures())
                        .setResetTimeout(settings.breakerResetMs())
                        .setTimeout(-1) // the answer's deadline already bounds every call
                        .setNotificationAddress(null)) // no state broadcasts on the event bus
                .openHandler(v -> LOG.warn("weather upstream {} failing: circuit open for {} ms", provider.name(),
                        settings.breakerResetMs()))
                .closeHandler(v -> LOG.info("weather upstream {} answering again: circuit closed", provider.name()));
        WeatherService service = new WeatherService(vertx, settings, provider, breaker,
                new WeatherMetrics(BackendRegistries.getDefaultNow()));
        LOG.info("weather service: {} for {} cities, concurrency {}, deadline {} ms", provider.name(),
                settings.cities().size(), settings.concurrency(), settings.deadlineMs());
        return vertx.eventBus().consumer(WeatherApi.CURRENT, message -> answer(message, service, settings.cities()))
                .completion();
    }

    private static void answer(Message<Object> message, WeatherService service, List<City> configured) {
        List<City> cities;
        try {
            cities = WeatherRequest.cities(message.body(), configured);
        } catch (IllegalArgumentException e) {
            message.fail(Failure.BAD_REQUEST.status(), e.getMessage());
            return;
        }
        service.current(cities).onComplete(message::reply, failure -> {
            RequestIds.withRequestId(message, () -> LOG.error("weather answer failed", failure));
            message.fail(INTERNAL_ERROR, "weather service error");
        });
    }

    @Override
    public Future<?> stop() {
        breaker.close();
        client.close();
        return Future.succeededFuture();
    }
}
