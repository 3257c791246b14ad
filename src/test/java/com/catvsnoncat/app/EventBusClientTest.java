package com.catvsnoncat.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.BlockedThreads;
import com.catvsnoncat.classifier.ClassifierApi;
import com.catvsnoncat.weather.WeatherApi;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A verticle of its own uses the running application's services through the event-bus API alone. */
@Timeout(60)
class EventBusClientTest {
    @TempDir
    Path dir;
    private final Vertx vertx = Vertx.vertx(BlockedThreads.vertxOptions());

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    /** Classifies a picture, then reads the weather, and hands both replies to the test. */
    static final class CatAndWeatherVerticle extends VerticleBase {
        private final byte[] picture;
        final Promise<JsonObject[]> replies = Promise.promise();

        CatAndWeatherVerticle(byte[] picture) {
            this.picture = picture;
        }

        @Override
        public Future<?> start() {
            vertx.eventBus().<JsonObject>request(ClassifierApi.CLASSIFY, new JsonObject().put(ClassifierApi.IMAGE, picture))
                    .map(Message::body)
                    .compose(classified -> vertx.eventBus().<JsonObject>request(WeatherApi.CURRENT, new JsonObject())
                            .map(weather -> new JsonObject[] {classified, weather.body()}))
                    .onComplete(replies);
            return Future.succeededFuture();
        }
    }

    @Test
    void aVerticleClassifiesAPictureAndReadsTheWeatherThroughTheEventBus() throws Exception {
        HttpServer openMeteo = vertx.createHttpServer().requestHandler(request -> request.response()
                        .putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("current", new JsonObject().put("temperature_2m", 21.5)
                                .put("relative_humidity_2m", 40).put("weather_code", 0)).encode()))
                .listen(0, "127.0.0.1").await();
        JsonObject config = ApplicationTestConfig.withModel(dir)
                .put("weather", new JsonObject().put("openMeteo",
                        new JsonObject().put("baseUrl", "http://127.0.0.1:" + openMeteo.actualPort())));
        Application.start(vertx, ConfigLoader.defaults().mergeIn(config, true)).await();

        CatAndWeatherVerticle client = new CatAndWeatherVerticle(ApplicationTestConfig.png());
        vertx.deployVerticle(client).await();
        JsonObject[] replies = client.replies.future().await();

        assertThat(replies[0].getString(ClassifierApi.LABEL)).isIn(ClassifierApi.CAT, ClassifierApi.NON_CAT);
        assertThat(replies[0].getJsonObject(ClassifierApi.MODEL_INFO).getString("name")).isEqualTo("small-test");
        JsonArray cities = replies[1].getJsonArray(WeatherApi.CITIES);
        assertThat(cities).hasSize(5);
        assertThat(cities.getJsonObject(0).getDouble(WeatherApi.TEMPERATURE)).isEqualTo(21.5);
        assertThat(cities.getJsonObject(0).getString(WeatherApi.ICON)).isEqualTo("clear");
    }
}
