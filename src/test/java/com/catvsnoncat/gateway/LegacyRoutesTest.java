package com.catvsnoncat.gateway;

import static com.catvsnoncat.testing.ErrorBodies.assertError;
import static com.catvsnoncat.testing.ErrorBodies.assertOriginalError;
import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.bus.Failure;
import com.catvsnoncat.classifier.ClassifierApi;
import com.catvsnoncat.weather.WeatherApi;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The original system's routes, field for field as its page reads them: {@code python_msg} printed only when
 * {@code python_server === 200}, errors printed as {@code "Error: " + status + ", " + response.data.message}, the
 * weather as {@code weather_list[i].name}, {@code .main.temp.toFixed(1)}, {@code .main.humidity} and
 * {@code .weather[0].icon}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class LegacyRoutesTest {
    private static final String CAT_URL = "https://example.com/pets/tabby.jpg?size=big";
    private static final JsonObject MODEL = new JsonObject().put("name", "catvnoncat").put("version", "7")
            .put("layers", new JsonArray().add(12288).add(20).add(7).add(5).add(1));

    private GatewayHarness gateway;

    @BeforeEach
    void start(Vertx vertx) {
        gateway = GatewayHarness.start(vertx).reply(ClassifierApi.MODEL, MODEL);
    }

    private HttpResponse<Buffer> cat(JsonObject prediction) {
        gateway.reply(ClassifierApi.CLASSIFY, prediction);
        return gateway.post("/web/cat").sendJsonObject(new JsonObject().put("cat_url", CAT_URL)).await();
    }

    private JsonObject catAnswer() {
        HttpResponse<Buffer> response = cat(GatewayHarness.prediction());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.bodyAsJsonObject();
    }

    @Test
    void answersTheCatRouteWithExactlyTheOriginalFields() {
        assertThat(catAnswer().fieldNames())
                .containsExactlyInAnyOrder("cat_url", "go_server", "python_server", "elapsed", "python_msg");
    }

    @Test
    void echoesCatUrlAsSent() {
        gateway.reply(ClassifierApi.CLASSIFY, GatewayHarness.prediction());
        String sent = "  " + CAT_URL + " ";

        JsonObject body = gateway.post("/web/cat").sendJsonObject(new JsonObject().put("cat_url", sent)).await()
                .bodyAsJsonObject();

        assertThat(body.getString("cat_url")).isEqualTo(sent);
        assertThat(gateway.received.stream().filter(m -> m.address().equals(ClassifierApi.CLASSIFY))
                .findFirst().orElseThrow().body().getString(ClassifierApi.URL)).isEqualTo(CAT_URL);
    }

    @Test
    void saysOkAsTheGateway() {
        assertThat(catAnswer().getValue("go_server")).isEqualTo("ok");
    }

    @Test
    void givesPythonServerAsTheNumber200SoThatThePagePrintsTheMessage() {
        HttpResponse<Buffer> response = cat(GatewayHarness.prediction());

        // The page compares with ===: the string "200" would not do.
        assertThat(response.bodyAsJsonObject().getValue("python_server")).isEqualTo(200);
        assertThat(response.bodyAsString()).contains("\"python_server\":200");
    }

    @Test
    void givesTheElapsedTimeInSecondsAsANumber() {
        Object elapsed = catAnswer().getValue("elapsed");

        assertThat(elapsed).isInstanceOf(Double.class);
        assertThat((Double) elapsed).isBetween(0.0, 30.0);
    }

    @Test
    void saysWhatTheModelPredictsInTheOriginalWorkersWords() {
        assertThat(catAnswer().getString("python_msg")).isEqualTo("4-layer model predicts a \"cat\" : tabby.jpg");
    }

    @Test
    void saysNonCatInTheOriginalWorkersWords() {
        JsonObject notCat = GatewayHarness.prediction().put("label", "non-cat").put("probability", 0.1);
        assertThat(cat(notCat).bodyAsJsonObject().getString("python_msg"))
                .isEqualTo("4-layer model predicts a \"non-cat\" : tabby.jpg");
    }

    @Test
    void refusesAMissingCatUrlWithAMessage() {
        HttpResponse<Buffer> response = gateway.post("/web/cat")
                .sendJsonObject(new JsonObject().put("url", CAT_URL)).await();

        assertOriginalError(response, 400, "cat_url");
    }

    @Test
    void refusesABodyThatIsNotJsonWithAMessage() {
        HttpResponse<Buffer> response = gateway.post("/web/cat").sendBuffer(Buffer.buffer("cat_url=x")).await();

        assertOriginalError(response, 400, "JSON");
    }

    @Test
    void refusesATooLargeBodyWithAMessage() {
        // A control body: far smaller than a picture upload may be.
        HttpResponse<Buffer> response = gateway.post("/web/cat")
                .sendJsonObject(new JsonObject().put("cat_url", "https://example.com/" + "a".repeat(20_000))).await();

        assertOriginalError(response, 413, "limit");
    }

    @Test
    void keepsTheClassifiersStatusForAFailureAndAddsTheMessage() {
        for (Failure failure : List.of(Failure.BAD_REQUEST, Failure.UNSUPPORTED_MEDIA_TYPE, Failure.UNPROCESSABLE,
                Failure.BAD_GATEWAY, Failure.TIMEOUT)) {
            int status = failure.status();
            MessageConsumer<JsonObject> consumer = gateway.vertx.eventBus().consumer(ClassifierApi.CLASSIFY,
                    message -> message.fail(status, "the picture failed with " + status));
            consumer.completion().await();

            HttpResponse<Buffer> response = gateway.post("/web/cat")
                    .sendJsonObject(new JsonObject().put("cat_url", CAT_URL)).await();

            assertOriginalError(response, status, "the picture failed with " + status);
            consumer.unregister().await();
        }
    }

    @Test
    void answersTheWeatherRouteInOpenWeatherMapsShapeSortedByName() {
        gateway.reply(WeatherApi.CURRENT, new JsonObject("""
                {"cities": [
                   {"name": "Seongnam-si", "temperature": -3.25, "humidity": 60, "condition": "Slight snow fall",
                    "icon": "snow", "iconCode": "13n", "stale": false},
                   {"name": "Austin", "temperature": 31.5, "humidity": 40, "condition": "Clear sky",
                    "icon": "clear", "iconCode": "01d", "stale": false},
                   {"name": "Miami", "error": "timed out"},
                   {"name": "Los Angeles", "temperature": 20.0, "humidity": 55, "condition": "Overcast",
                    "icon": "cloudy", "iconCode": "04d", "stale": true}],
                 "elapsedMs": 250, "concurrency": 5, "provider": "open-meteo"}"""));

        HttpResponse<Buffer> response = gateway.post("/weather").send().await();

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject body = response.bodyAsJsonObject();
        assertThat(body.fieldNames()).containsExactlyInAnyOrder("weather_list", "elapsed");
        assertThat(body.getValue("elapsed")).isEqualTo(0.25);
        JsonArray list = body.getJsonArray("weather_list");
        assertThat(list.stream().map(city -> ((JsonObject) city).getString("name")))
                .as("sorted by name, the failed city left out").containsExactly("Austin", "Los Angeles", "Seongnam-si");
        JsonObject seongnam = list.getJsonObject(2);
        assertThat(seongnam.getJsonObject("main").getValue("temp")).isEqualTo(-3.25);
        assertThat(seongnam.getJsonObject("main").getValue("humidity")).isEqualTo(60);
        assertThat(seongnam.getJsonArray("weather").getJsonObject(0).getString("icon")).isEqualTo("13n");
        assertThat(list.getJsonObject(0).getJsonArray("weather").getJsonObject(0).getString("icon")).isEqualTo("01d");
    }

    @Test
    void answers500WithAMessageWhenNoCityCouldBeFetched() {
        gateway.reply(WeatherApi.CURRENT, new JsonObject("""
                {"cities": [{"name": "Austin", "error": "timed out"}, {"name": "Miami", "error": "timed out"}],
                 "elapsedMs": 3000, "concurrency": 5, "provider": "open-meteo"}"""));

        assertOriginalError(gateway.post("/weather").send().await(), 500, "weather");
    }

    @Test
    void answersTheOriginalHealthCheck() {
        HttpResponse<Buffer> response = gateway.get("/healthz-go").send().await();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsString()).isEqualTo("ok");
    }

    @Test
    void keepsTheRestOfTheApiWithoutTheMessageField() {
        HttpResponse<Buffer> response = gateway.post("/api/classify")
                .sendJsonObject(new JsonObject().put("cat_url", CAT_URL)).await();

        assertError(response, 400, "url");
    }
}
