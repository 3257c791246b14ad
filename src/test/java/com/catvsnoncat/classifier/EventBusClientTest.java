package com.catvsnoncat.classifier;

import static com.catvsnoncat.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Another verticle of the application uses the classifier through {@link ClassifierApi} alone. */
@ExtendWith(VertxExtension.class)
class EventBusClientTest {

    /** Classifies the picture in its configuration when it starts. */
    private static final class PictureLabeller extends VerticleBase {
        final Promise<JsonObject> answer = Promise.promise();

        @Override
        public Future<?> start() {
            vertx.eventBus().<JsonObject>request(ClassifierApi.CLASSIFY,
                            new JsonObject().put(ClassifierApi.IMAGE, config().getBinary("picture")))
                    .map(Message::body)
                    .onComplete(answer);
            return Future.succeededFuture();
        }
    }

    @Test
    void aVerticleClassifiesAPictureOverTheEventBus(Vertx vertx, @TempDir Path dir) throws Exception {
        Path model = ClassifierTesting.write(dir, "model.npz", ClassifierTesting.randomModel("1"));
        await(vertx.deployVerticle(new ClassifierVerticle(),
                new DeploymentOptions().setConfig(ClassifierTesting.config(model))));
        PictureLabeller labeller = new PictureLabeller();
        await(vertx.deployVerticle(labeller, new DeploymentOptions()
                .setConfig(new JsonObject().put("picture", ClassifierTesting.noisePng(100, 4)))));

        JsonObject answer = await(labeller.answer.future());
        assertThat(answer.getString(ClassifierApi.LABEL)).isIn(ClassifierApi.CAT, ClassifierApi.NON_CAT);
        assertThat(answer.getDouble(ClassifierApi.PROBABILITY)).isBetween(0.0, 1.0);
        assertThat(answer.getJsonObject(ClassifierApi.MODEL_INFO).getString(ClassifierApi.VERSION)).isEqualTo("1");
    }
}
