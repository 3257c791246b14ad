package com.catvsnoncat.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.catvsnoncat.BlockedThreads;
import com.catvsnoncat.app.MetricsVertx;
import com.catvsnoncat.data.ImagePreprocessor;
import com.catvsnoncat.model.Model;
import io.micrometer.core.instrument.DistributionSummary;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamic batching through the classifier's event-bus API: with pixel models set to batch four pictures, four
 * concurrent single-picture requests (two CLASSIFY of encoded pictures, two INFER of pixels) are answered from one
 * network pass, each with the probability of its own picture passed alone (to 1e-12), and the statistics count
 * four inferences in one execution.
 */
@Timeout(120)
class DynamicBatchingTest {
    @TempDir
    Path dir;
    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = MetricsVertx.create(BlockedThreads.vertxOptions());
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    @Test
    void concurrentSinglePicturesAreAnsweredFromOneSharedPassWithTheirUnbatchedProbabilities() {
        Model model = ClassifierTesting.randomModel("1");
        JsonObject off = new JsonObject().put("maxBatch", 1).put("maxQueueDelayMicros", 0);
        JsonObject config = ClassifierTesting.config(ClassifierTesting.write(dir, "model.npz", model))
                .put("deadlineMs", 60_000)
                .put("batching", new JsonObject().put("features", off).put("models", new JsonObject())
                        .put("pixel", new JsonObject().put("maxBatch", 4).put("maxQueueDelayMicros", 1_000_000)));
        vertx.deployVerticle(new ClassifierVerticle(), new DeploymentOptions().setConfig(config)).await();
        byte[] first = ClassifierTesting.noisePng(90, 1);
        byte[] second = ClassifierTesting.noisePng(50, 2);
        byte[] pixels = new byte[2 * 64 * 64 * 3];
        new Random(3).nextBytes(pixels);
        byte[] third = Arrays.copyOfRange(pixels, 0, pixels.length / 2);
        byte[] fourth = Arrays.copyOfRange(pixels, pixels.length / 2, pixels.length);

        List<Future<Message<JsonObject>>> replies = List.of(
                vertx.eventBus().request(ClassifierApi.CLASSIFY, new JsonObject().put(ClassifierApi.IMAGE, first)),
                vertx.eventBus().request(ClassifierApi.INFER, pixelRequest(third)),
                vertx.eventBus().request(ClassifierApi.CLASSIFY, new JsonObject().put(ClassifierApi.IMAGE, second)),
                vertx.eventBus().request(ClassifierApi.INFER, pixelRequest(fourth)));
        Future.all(replies).await();

        ImagePreprocessor preprocessor = new ImagePreprocessor();
        assertThat(replies.get(0).result().body().getDouble(ClassifierApi.PROBABILITY))
                .isCloseTo(model.predict(preprocessor.toInputVector(first)), within(1e-12));
        assertThat(replies.get(2).result().body().getDouble(ClassifierApi.PROBABILITY))
                .isCloseTo(model.predict(preprocessor.toInputVector(second)), within(1e-12));
        assertThat(replies.get(1).result().body().getJsonArray(ClassifierApi.PROBABILITIES).getDouble(0))
                .isCloseTo(model.predict(PixelTensors.inputs(third, 1, ClassifierApi.UINT8)[0]), within(1e-12));
        assertThat(replies.get(3).result().body().getJsonArray(ClassifierApi.PROBABILITIES).getDouble(0))
                .isCloseTo(model.predict(PixelTensors.inputs(fourth, 1, ClassifierApi.UINT8)[0]), within(1e-12));
        DistributionSummary passes = BackendRegistries.getDefaultNow().get(ClassifierMetrics.BATCHED_PASS)
                .summary();
        assertThat(passes.count()).isEqualTo(1);
        assertThat(passes.totalAmount()).isEqualTo(4);
        // Triton's statistics say the same: four pictures inferred, in one execution of the network.
        JsonObject stats = vertx.eventBus().<JsonObject>request(ClassifierApi.STATS, new JsonObject()).await().body()
                .getJsonArray(ClassifierApi.MODEL_STATS).getJsonObject(0);
        assertThat(stats.getLong("inference_count")).isEqualTo(4);
        assertThat(stats.getLong("execution_count")).isEqualTo(1);
        assertThat(stats.getJsonObject("inference_stats").getJsonObject("success").getLong("count")).isEqualTo(4);
    }

    private static JsonObject pixelRequest(byte[] pixels) {
        return new JsonObject().put(ClassifierApi.PIXELS, pixels).put(ClassifierApi.COUNT, 1)
                .put(ClassifierApi.DATATYPE, ClassifierApi.UINT8);
    }
}
