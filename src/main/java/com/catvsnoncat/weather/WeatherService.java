package com.catvsnoncat.weather;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@link WeatherApi#CURRENT}: each city from the cache when fresh, otherwise from the provider through the
 * concurrency limit and the circuit breaker, all within one deadline; concurrent requests share a city's fetch.
 * When the upstream answers 429 with a Retry-After, no call is made until that time has passed. Every city ends with
 * a reading or an error; the answer itself never fails. Used from the verticle's event loop only.
 */
final class WeatherService {
    private static final Logger LOG = LoggerFactory.getLogger(WeatherService.class);

    private final Vertx vertx;
    private final WeatherConfig settings;
    private final WeatherProvider provider;
    private final CircuitBreaker breaker;
    private final ReadingCache cache;
    private final AsyncLimiter limiter;
    private final WeatherMetrics metrics;
    private final Map<String, Future<Reading>> fetching = new HashMap<>();
    /** Before this time (System.currentTimeMillis) the upstream asked not to be called. */
    private long rateLimitedUntil;

    WeatherService(Vertx vertx, WeatherConfig settings, WeatherProvider provider, CircuitBreaker breaker,
                   WeatherMetrics metrics) {
        this.vertx = vertx;
        this.settings = settings;
        this.provider = provider;
        this.breaker = breaker;
        this.metrics = metrics;
        this.cache = new ReadingCache(settings.cacheTtlMs(), System::currentTimeMillis);
        this.limiter = new AsyncLimiter(settings.concurrency());
    }

    /** The reply of {@link WeatherApi#CURRENT} for these cities. */
    Future<JsonObject> current(List<City> cities) {
        long start = System.nanoTime();
        Deadline deadline = Deadline.in(vertx, settings.deadlineMs());
        List<Future<CityWeather>> answers = cities.stream().map(city -> weatherOf(city, deadline)).toList();
        return Future.join(answers).map(done -> new JsonObject()
                .put(WeatherApi.CITIES, new JsonArray(answers.stream().map(Future::result)
                        .sorted(Comparator.comparing(CityWeather::name)).map(CityWeather::toJson).toList()))
                .put(WeatherApi.ELAPSED_MS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                .put(WeatherApi.CONCURRENCY, settings.concurrency())
                .put(WeatherApi.PROVIDER, provider.name()));
    }

    private Future<CityWeather> weatherOf(City city, Deadline deadline) {
        Reading fresh = cache.fresh(city).orElse(null);
        if (fresh != null) {
            return Future.succeededFuture(CityWeather.fresh(city, fresh));
        }
        return deadline.bound(sharedFetch(city, deadline)).transform(outcome -> Future.succeededFuture(
                outcome.succeeded() ? CityWeather.fresh(city, outcome.result()) : fallBack(city, outcome.cause())));
    }

    /** Requests arriving while a city is being fetched wait for that fetch instead of calling the upstream again. */
    private Future<Reading> sharedFetch(City city, Deadline deadline) {
        Future<Reading> pending = fetching.get(city.name());
        if (pending != null) {
            return pending;
        }
        // A city still queued when the deadline passes starts, fails at once and frees its place.
        Future<Reading> fetch = limiter.submit(() -> startCall(city, deadline))
                .onSuccess(reading -> cache.put(city, reading))
                .onFailure(failure -> recordFailure(city, UpstreamException.of(failure)));
        if (!fetch.isComplete()) {
            fetching.put(city.name(), fetch);
            fetch.onComplete(outcome -> fetching.remove(city.name()));
        }
        return fetch;
    }

    private Future<Reading> startCall(City city, Deadline deadline) {
        if (deadline.expired()) {
            return Future.failedFuture(UpstreamException.timedOut());
        }
        long wait = rateLimitedUntil - System.currentTimeMillis();
        if (wait > 0) {
            return Future.failedFuture(UpstreamException.rateLimited(wait));
        }
        return breaker.<Reading>execute(() -> call(city, deadline)).onFailure(this::honourRetryAfter);
    }

    private void honourRetryAfter(Throwable failure) {
        UpstreamException upstream = UpstreamException.of(failure);
        if (upstream.reason() == UpstreamException.Reason.RATE_LIMITED && upstream.retryAfterMs() > 0) {
            rateLimitedUntil = Math.max(rateLimitedUntil,
                    System.currentTimeMillis() + Math.min(upstream.retryAfterMs(), settings.maxRetryAfterMs()));
        }
    }

    /** One upstream call, bounded by the deadline so that a slow upstream counts as a failure for the breaker. */
    private Future<Reading> call(City city, Deadline deadline) {
        long start = System.nanoTime();
        return deadline.bound(provider.current(city, deadline.remainingMs()))
                .onComplete(outcome -> metrics.latency(city, System.nanoTime() - start));
    }

    private void recordFailure(City city, UpstreamException failure) {
        metrics.failure(city, failure.reason());
        LOG.debug("weather of {} from {} failed: {}", city.name(), provider.name(), failure.getMessage());
    }

    /** The last good reading marked stale, else the failure's short text. */
    private CityWeather fallBack(City city, Throwable failure) {
        return cache.last(city).map(reading -> CityWeather.stale(city, reading))
                .orElseGet(() -> CityWeather.failed(city, UpstreamException.of(failure).getMessage()));
    }
}
