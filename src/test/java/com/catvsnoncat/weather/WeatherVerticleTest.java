package com.catvsnoncat.weather;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.catvsnoncat.testing.RefusingPort;
import com.catvsnoncat.weather.FakeWeatherUpstream.Mode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The weather verticle through the event bus, against a fake upstream on 127.0.0.1. */
@ExtendWith(VertxExtension.class)
class WeatherVerticleTest {
    private static final List<String> DEFAULT_CITIES = List.of("Austin", "Los Angeles", "Miami", "Seattle", "Seongnam-si");
    private static final double SEATTLE = 47.6062;
    private static final double MIAMI = 25.7617;
    private static final double AUSTIN = 30.2672;
    private static final long WAIT_SECONDS = 15;

    private FakeWeatherUpstream fake;

    @BeforeEach
    void startFakeUpstream(Vertx vertx) {
        fake = FakeWeatherUpstream.start(vertx);
    }

    @Test
    void answersTheFiveDefaultCitiesSortedByNameWithTheUpstreamReadings(Vertx vertx) throws Exception {
        deploy(vertx, openMeteoAt(fake.baseUrl()));

        JsonObject reply = ask(vertx, new JsonObject());

        assertThat(names(reply)).containsExactlyElementsOf(DEFAULT_CITIES);
        assertThat(city(reply, "Seattle")).isEqualTo(new JsonObject().put("name", "Seattle").put("temperature", 9.0)
                .put("humidity", 85).put("condition", "Slight rain").put("icon", "rain").put("iconCode", "10d")
                .put("stale", false));
        assertThat(icons(reply)).containsExactly("partly-cloudy", "clear", "thunderstorm", "rain", "snow");
        assertThat(city(reply, "Seongnam-si").getDouble("temperature")).isEqualTo(-3.5);
        assertThat(reply.getString("provider")).isEqualTo("open-meteo");
        assertThat(reply.getInteger("concurrency")).isEqualTo(5);
        assertThat(reply.getLong("elapsedMs")).isNotNegative();
    }

    @Test
    void neverHasMoreUpstreamRequestsInFlightThanTheConfiguredConcurrency(Vertx vertx) throws Exception {
        fake.everyCity(Mode.OK, 100);
        deploy(vertx, openMeteoAt(fake.baseUrl()).put("concurrency", 2));

        JsonObject reply = ask(vertx, new JsonObject());

        assertThat(errors(reply)).isEmpty();
        assertThat(fake.requests()).isEqualTo(5);
        assertThat(fake.maxInFlight()).isEqualTo(2);
        assertThat(reply.getInteger("concurrency")).isEqualTo(2);
    }

    @Test
    void asksForAllFiveCitiesAtOnceWithTheDefaultConcurrency(Vertx vertx) throws Exception {
        fake.holdUntilInFlight(5);
        deploy(vertx, openMeteoAt(fake.baseUrl()));

        JsonObject reply = ask(vertx, new JsonObject());

        assertThat(errors(reply)).isEmpty();
        assertThat(fake.maxInFlight()).isEqualTo(5);
    }

    @Test
    void weatherReturnsPartialResultsWhenOneCityTimesOut(Vertx vertx) throws Exception {
        fake.city(SEATTLE, Mode.OK, 60_000);
        deploy(vertx, openMeteoAt(fake.baseUrl()).put("deadlineMs", 500));

        JsonObject reply = ask(vertx, new JsonObject());

        assertThat(names(reply)).containsExactlyElementsOf(DEFAULT_CITIES);
        assertThat(city(reply, "Seattle")).isEqualTo(new JsonObject().put("name", "Seattle").put("error", "timed out"));
        assertThat(errors(reply)).containsOnlyKeys("Seattle");
        assertThat(city(reply, "Miami").getDouble("temperature")).isEqualTo(28.3);
    }

    @Test
    void reportsServerErrorsGarbageAndClosedConnectionsPerCityAndAnswersTheRest(Vertx vertx) throws Exception {
        fake.city(SEATTLE, Mode.SERVER_ERROR, 0).city(MIAMI, Mode.GARBAGE, 0).city(AUSTIN, Mode.CLOSE, 0);
        deploy(vertx, openMeteoAt(fake.baseUrl()));

        JsonObject reply = ask(vertx, new JsonObject());

        assertThat(errors(reply)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "Seattle", "upstream answered HTTP 503",
                "Miami", "bad answer from upstream: malformed JSON",
                "Austin", "connection closed by upstream"));
        assertThat(city(reply, "Los Angeles").getString("icon")).isEqualTo("clear");
        assertThat(city(reply, "Seongnam-si").getString("icon")).isEqualTo("snow");
    }

    @Test
    void reportsARefusedConnectionForEachCityWithoutFailingTheRequest(Vertx vertx) throws Exception {
        try (RefusingPort refusing = new RefusingPort()) {
            deploy(vertx, openMeteoAt("http://127.0.0.1:" + refusing.port()));

            JsonObject reply = ask(vertx, new JsonObject());

            assertThat(errors(reply)).hasSize(5)
                    .allSatisfy((name, error) -> assertThat(error).isEqualTo("connection refused"));
        }
    }

    @Test
    void servesFreshReadingsFromTheCacheWithoutCallingTheUpstream(Vertx vertx) throws Exception {
        deploy(vertx, openMeteoAt(fake.baseUrl()));
        JsonObject first = ask(vertx, new JsonObject());

        JsonObject second = ask(vertx, new JsonObject());

        assertThat(fake.requests()).isEqualTo(5);
        assertThat(second.getJsonArray("cities")).isEqualTo(first.getJsonArray("cities"));
    }

    @Test
    void servesTheLastGoodReadingMarkedStaleWhenTheUpstreamFails(Vertx vertx) throws Exception {
        deploy(vertx, openMeteoAt(fake.baseUrl()).put("cacheTtlMs", 0));
        ask(vertx, new JsonObject());
        fake.everyCity(Mode.SERVER_ERROR, 0);

        JsonObject reply = ask(vertx, new JsonObject());

        assertThat(fake.requests()).isEqualTo(10);
        assertThat(errors(reply)).isEmpty();
        assertThat(city(reply, "Seattle")).isEqualTo(new JsonObject().put("name", "Seattle").put("temperature", 9.0)
                .put("humidity", 85).put("condition", "Slight rain").put("icon", "rain").put("iconCode", "10d")
                .put("stale", true));
        assertThat(reply.getJsonArray("cities")).allSatisfy(city -> assertThat(((JsonObject) city).getBoolean("stale")).isTrue());
    }

    @Test
    void opensTheCircuitAfterFiveFailuresAndStopsCallingTheUpstream(Vertx vertx) throws Exception {
        fake.everyCity(Mode.SERVER_ERROR, 0);
        deploy(vertx, openMeteoAt(fake.baseUrl()));
        JsonObject failing = ask(vertx, new JsonObject());
        assertThat(errors(failing)).hasSize(5).containsValue("upstream answered HTTP 503");

        fake.everyCity(Mode.OK, 0);
        JsonObject whileOpen = ask(vertx, new JsonObject());

        assertThat(fake.requests()).isEqualTo(5);
        assertThat(errors(whileOpen)).hasSize(5)
                .allSatisfy((name, error) -> assertThat(error).isEqualTo("upstream unavailable (circuit open)"));
    }

    @Test
    void servesTheStaleReadingInsteadOfAnErrorWhileTheCircuitIsOpen(Vertx vertx) throws Exception {
        JsonObject seattleOnly = openMeteoAt(fake.baseUrl()).put("cacheTtlMs", 0)
                .put("breaker", new JsonObject().put("maxFailures", 2))
                .put("cities", new JsonArray().add(new JsonObject().put("name", "Seattle")
                        .put("latitude", SEATTLE).put("longitude", -122.3321)));
        deploy(vertx, seattleOnly);
        ask(vertx, new JsonObject());
        fake.everyCity(Mode.SERVER_ERROR, 0);
        ask(vertx, new JsonObject());
        ask(vertx, new JsonObject());

        JsonObject whileOpen = ask(vertx, new JsonObject());

        assertThat(fake.requests()).isEqualTo(3);
        assertThat(city(whileOpen, "Seattle").getBoolean("stale")).isTrue();
        assertThat(city(whileOpen, "Seattle").getDouble("temperature")).isEqualTo(9.0);
    }

    @Test
    void honoursTheRetryAfterOfA429AndServesStaleReadingsMeanwhile(Vertx vertx) throws Exception {
        deploy(vertx, openMeteoAt(fake.baseUrl()).put("cacheTtlMs", 0));
        ask(vertx, new JsonObject());
        fake.everyCity(Mode.RATE_LIMITED, 0);

        JsonObject limited = ask(vertx, new JsonObject());
        JsonObject meanwhile = ask(vertx, new JsonObject());

        assertThat(fake.requests()).as("no call before the Retry-After has passed").isEqualTo(10);
        assertThat(cities(limited)).allSatisfy(city -> assertThat(city.getBoolean("stale")).isTrue());
        assertThat(cities(meanwhile)).allSatisfy(city -> assertThat(city.getBoolean("stale")).isTrue());
    }

    @Test
    void saysHowLongTheUpstreamAskedToWaitWhenThereIsNoStaleReading(Vertx vertx) throws Exception {
        fake.everyCity(Mode.RATE_LIMITED, 0);
        deploy(vertx, openMeteoAt(fake.baseUrl()));

        ask(vertx, new JsonObject());
        JsonObject meanwhile = ask(vertx, new JsonObject());

        assertThat(fake.requests()).isEqualTo(5);
        assertThat(errors(meanwhile)).hasSize(5).allSatisfy((name, error) ->
                assertThat(error).matches("upstream rate limit \\(retry after (59|60) s\\)"));
    }

    @Test
    void refusesAnUpstreamAnswerAboveTheSizeCap(Vertx vertx) throws Exception {
        fake.city(SEATTLE, Mode.HUGE, 0);
        deploy(vertx, openMeteoAt(fake.baseUrl()));

        JsonObject reply = ask(vertx, new JsonObject());

        assertThat(errors(reply)).containsExactly(Map.entry("Seattle", "bad answer from upstream: answer larger than "
                + 65536 + " bytes"));
    }

    @Test
    void cutsAnUpstreamThatDripsAByteAtATimeAtTheDeadlineAndClosesItsConnection(Vertx vertx) throws Exception {
        fake.city(MIAMI, Mode.DRIP, 0);
        deploy(vertx, openMeteoAt(fake.baseUrl()).put("deadlineMs", 500));

        JsonObject reply = ask(vertx, new JsonObject());

        assertThat(errors(reply)).containsExactly(Map.entry("Miami", "timed out"));
        long deadline = System.currentTimeMillis() + 5000;
        while (fake.inFlight() > 0 && System.currentTimeMillis() < deadline) {
            vertx.timer(20).await();
        }
        assertThat(fake.inFlight()).as("the dripping connection was closed").isZero();
    }

    @Test
    void usesOpenWeatherMapWithMetricUnitsWhenAnApiKeyIsConfigured(Vertx vertx) throws Exception {
        deploy(vertx, new JsonObject().put("openWeatherMap", new JsonObject()
                .put("baseUrl", fake.baseUrl()).put("apiKey", FakeWeatherUpstream.API_KEY)));

        JsonObject reply = ask(vertx, new JsonObject());

        // The fake answers 401 unless appid is the key and units=metric.
        assertThat(errors(reply)).isEmpty();
        assertThat(reply.getString("provider")).isEqualTo("openweathermap");
        assertThat(city(reply, "Seattle")).isEqualTo(new JsonObject().put("name", "Seattle").put("temperature", 9.0)
                .put("humidity", 85).put("condition", "As the fake says").put("icon", "rain")
                .put("iconCode", "01d").put("stale", false));
        assertThat(icons(reply)).containsExactly("partly-cloudy", "clear", "thunderstorm", "rain", "snow");
    }

    @Test
    void concurrentRequestsShareTheUpstreamCallsForTheSameCities(Vertx vertx) throws Exception {
        fake.everyCity(Mode.OK, 300);
        deploy(vertx, openMeteoAt(fake.baseUrl()));

        Future<Message<JsonObject>> first = vertx.eventBus().request(WeatherApi.CURRENT, new JsonObject());
        Future<Message<JsonObject>> second = vertx.eventBus().request(WeatherApi.CURRENT, new JsonObject());
        Future.all(first, second).await(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(fake.requests()).isEqualTo(5);
        assertThat(errors(second.result().body())).isEmpty();
        assertThat(second.result().body().getJsonArray("cities")).isEqualTo(first.result().body().getJsonArray("cities"));
    }

    @Test
    void answersOnlyTheRequestedCities(Vertx vertx) throws Exception {
        deploy(vertx, openMeteoAt(fake.baseUrl()));

        JsonObject reply = ask(vertx, new JsonObject().put("cities", new JsonArray().add("Seattle").add("Miami")));

        assertThat(names(reply)).containsExactly("Miami", "Seattle");
        assertThat(fake.requests()).isEqualTo(2);
    }

    @Test
    void rejectsMalformedRequestsWith400(Vertx vertx) throws Exception {
        deploy(vertx, openMeteoAt(fake.baseUrl()));

        assertBadRequest(vertx, "Seattle", "must be a JSON object");
        assertBadRequest(vertx, new JsonObject().put("cities", "Seattle"), "cities must be a non-empty array");
        assertBadRequest(vertx, new JsonObject().put("cities", new JsonArray().add("Atlantis")), "unknown city 'Atlantis'");
        assertThat(fake.requests()).isZero();
    }

    @Test
    void refusesToStartWithAnInvalidConfiguration(Vertx vertx) {
        assertThatThrownBy(() -> deploy(vertx, openMeteoAt(fake.baseUrl()).put("concurrency", 0)))
                .hasMessageContaining("concurrency must be an integer >= 1");
        assertThatThrownBy(() -> deploy(vertx, new JsonObject().put("provider", "openweathermap")))
                .hasMessageContaining("needs openWeatherMap.apiKey");
    }

    @Test
    void anotherVerticleReadsTheWeatherThroughTheEventBusAlone(Vertx vertx) throws Exception {
        deploy(vertx, openMeteoAt(fake.baseUrl()));
        WeatherReader reader = new WeatherReader();

        vertx.deployVerticle(reader).await(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(reader.seattle).isEqualTo("Seattle: 9.0 °C, 85 %, Slight rain");
    }

    /** A verticle that knows only the event-bus contract. */
    private static final class WeatherReader extends VerticleBase {
        private volatile String seattle;

        @Override
        public Future<?> start() {
            return vertx.eventBus().<JsonObject>request(WeatherApi.CURRENT, new JsonObject()
                            .put(WeatherApi.CITIES, new JsonArray().add("Seattle")))
                    .map(Message::body)
                    .onSuccess(reply -> {
                        JsonObject city = reply.getJsonArray(WeatherApi.CITIES).getJsonObject(0);
                        seattle = city.getString(WeatherApi.NAME) + ": " + city.getDouble(WeatherApi.TEMPERATURE)
                                + " °C, " + city.getInteger(WeatherApi.HUMIDITY) + " %, "
                                + city.getString(WeatherApi.CONDITION);
                    });
        }
    }

    private void assertBadRequest(Vertx vertx, Object body, String message) {
        assertThatThrownBy(() -> ask(vertx, body))
                .isInstanceOfSatisfying(ReplyException.class, failure -> {
                    assertThat(failure.failureCode()).isEqualTo(400);
                    assertThat(failure.getMessage()).contains(message);
                });
    }

    private static JsonObject openMeteoAt(String baseUrl) {
        return new JsonObject().put("openMeteo", new JsonObject().put("baseUrl", baseUrl));
    }

    private static void deploy(Vertx vertx, JsonObject config) throws Exception {
        vertx.deployVerticle(new WeatherVerticle(), new DeploymentOptions().setConfig(config))
                .await(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static JsonObject ask(Vertx vertx, Object body) throws Exception {
        return vertx.eventBus().<JsonObject>request(WeatherApi.CURRENT, body).await(WAIT_SECONDS, TimeUnit.SECONDS)
                .body();
    }

    private static List<JsonObject> cities(JsonObject reply) {
        return reply.getJsonArray("cities").stream().map(JsonObject.class::cast).toList();
    }

    private static List<String> names(JsonObject reply) {
        return cities(reply).stream().map(city -> city.getString("name")).toList();
    }

    private static List<String> icons(JsonObject reply) {
        return cities(reply).stream().map(city -> city.getString("icon")).toList();
    }

    private static Map<String, String> errors(JsonObject reply) {
        return cities(reply).stream().filter(city -> city.containsKey("error"))
                .collect(Collectors.toMap(city -> city.getString("name"), city -> city.getString("error")));
    }

    private static JsonObject city(JsonObject reply, String name) {
        return cities(reply).stream().filter(city -> name.equals(city.getString("name"))).findFirst().orElseThrow();
    }
}
