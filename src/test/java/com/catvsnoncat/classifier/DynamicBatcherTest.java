package com.catvsnoncat.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.catvsnoncat.model.DefaultModel;
import com.catvsnoncat.model.Model;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Dynamic batching on real models, the pixel network and the MobileNetV2 feature model: requests gathered into one
 * pass get exactly their own rows, equal to 1e-12 to the same pictures passed alone; a batch runs when full or when
 * its first request has waited the delay; what does not fit goes to the next pass; models never share a pass.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class DynamicBatcherTest {
    private static final long FOREVER_MICROS = TimeUnit.MINUTES.toMicros(10);
    private static Model features;

    private Context context;
    private WorkerExecutor workers;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private BatchingConfig.Rule rule;
    /** Passes end only once this completes: a small network's pass can end before the next request arrives. */
    private Promise<Void> passesMayEnd = Promise.promise();

    @BeforeEach
    void start(Vertx vertx) {
        context = vertx.getOrCreateContext();
        workers = vertx.createSharedWorkerExecutor("batcher-test", 2);
    }

    private static synchronized Model featureModel() {
        if (features == null) {
            features = DefaultModel.load();
        }
        return features;
    }

    private DynamicBatcher batcher(Vertx vertx, int maxBatch, long delayMicros) {
        passesMayEnd.tryComplete();
        return batcher(vertx, maxBatch, delayMicros, 2);
    }

    private DynamicBatcher batcher(Vertx vertx, int maxBatch, long delayMicros, int threads) {
        rule = new BatchingConfig.Rule(maxBatch, delayMicros);
        return new DynamicBatcher(vertx, new DynamicBatcher.PassRunner() {
            @Override
            public <T> Future<T> run(Callable<T> pass) {
                return workers.executeBlocking(pass, false).compose(result -> passesMayEnd.future().map(result));
            }
        }, new ClassifierMetrics(registry), threads);
    }

    /** The passes run so far, and the pictures in them all. */
    private void assertPasses(long count, double pictures) {
        DistributionSummary summary = registry.get(ClassifierMetrics.BATCHED_PASS).summary();
        assertThat(summary.count()).isEqualTo(count);
        assertThat(summary.totalAmount()).isEqualTo(pictures);
    }

    /** Runs {@code calls} on the batcher's event loop, as the classifier verticle does, and awaits every share. */
    private List<DynamicBatcher.Share> onContext(Supplier<List<Future<DynamicBatcher.Share>>> calls) {
        Promise<List<DynamicBatcher.Share>> all = Promise.promise();
        context.runOnContext(run -> {
            List<Future<DynamicBatcher.Share>> shares = calls.get();
            Future.all(shares).map(done -> shares.stream().map(Future::result).toList()).onComplete(all);
        });
        return all.future().await();
    }

    private static double[][] pictures(Model model, int count, long seed) {
        Random random = new Random(seed);
        double[][] inputs = new double[count][model.inputSize()];
        for (double[] input : inputs) {
            for (int i = 0; i < input.length; i++) {
                input[i] = random.nextInt(256) / 255.0;
            }
        }
        return inputs;
    }

    private static void assertUnbatched(Model model, double[][] inputs, List<DynamicBatcher.Share> shares) {
        for (int i = 0; i < inputs.length; i++) {
            double alone = model.predict(inputs[i]);
            assertThat(shares.get(i).probabilities()).hasSize(1);
            assertThat(shares.get(i).probabilities()[0]).isCloseTo(alone, within(1e-12));
        }
    }

    @Test
    void concurrentPicturesShareOnePassAndGetTheirUnbatchedAnswers(Vertx vertx) {
        for (Model model : List.of(ClassifierTesting.randomModel("1"), featureModel())) {
            DynamicBatcher batcher = batcher(vertx, 8, FOREVER_MICROS);
            double[][] inputs = pictures(model, 8, 3);

            List<DynamicBatcher.Share> shares = onContext(() -> {
                List<Future<DynamicBatcher.Share>> calls = new ArrayList<>();
                for (double[] input : inputs) {
                    calls.add(batcher.predict(model, rule, new double[][] {input}));
                }
                return calls;
            });

            assertThat(shares).allSatisfy(share -> assertThat(share.batchSize()).isEqualTo(8));
            assertUnbatched(model, inputs, shares);
        }
        assertPasses(2, 16);
    }

    @Test
    void aPartBatchRunsOnceItsFirstRequestHasWaitedTheDelay(Vertx vertx) {
        Model model = ClassifierTesting.randomModel("1");
        DynamicBatcher batcher = batcher(vertx, 8, 20_000);
        double[][] inputs = pictures(model, 3, 4);

        List<DynamicBatcher.Share> shares = onContext(() -> List.of(
                batcher.predict(model, rule, new double[][] {inputs[0]}),
                batcher.predict(model, rule, new double[][] {inputs[1]}),
                batcher.predict(model, rule, new double[][] {inputs[2]})));

        assertThat(shares).allSatisfy(share -> {
            assertThat(share.batchSize()).isEqualTo(3);
            assertThat(share.queueNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20) * 9 / 10);
        });
        assertUnbatched(model, inputs, shares);
    }

    @Test
    void withoutADelayALoneRequestGoesAtOnceAndOthersGatherWhileEveryWorkerIsBusy(Vertx vertx) {
        Model model = ClassifierTesting.randomModel("1");
        DynamicBatcher batcher = batcher(vertx, 8, 0, 1);
        double[][] inputs = pictures(model, 4, 7);

        List<DynamicBatcher.Share> shares = onContext(() -> {
            List<Future<DynamicBatcher.Share>> calls = List.of(
                    batcher.predict(model, rule, new double[][] {inputs[0]}),
                    batcher.predict(model, rule, new double[][] {inputs[1]}),
                    batcher.predict(model, rule, new double[][] {inputs[2]}),
                    batcher.predict(model, rule, new double[][] {inputs[3]}));
            // The first pass (of the first request alone) is still running while the others arrive.
            passesMayEnd.complete();
            return calls;
        });

        assertThat(shares.stream().map(DynamicBatcher.Share::batchSize)).containsExactly(1, 3, 3, 3);
        assertUnbatched(model, inputs, shares);
        assertPasses(2, 4);
    }

    @Test
    void aRequestThatDoesNotFitSendsTheQueueAheadAndALargeOneRunsAlone(Vertx vertx) {
        Model model = ClassifierTesting.randomModel("1");
        DynamicBatcher batcher = batcher(vertx, 4, FOREVER_MICROS);
        double[][] inputs = pictures(model, 11, 5);

        List<DynamicBatcher.Share> shares = onContext(() -> List.of(
                batcher.predict(model, rule, new double[][] {inputs[0]}),
                batcher.predict(model, rule, new double[][] {inputs[1]}),
                batcher.predict(model, rule, new double[][] {inputs[2]}),
                // 3 + 2 > 4: the three go, these two wait for two more.
                batcher.predict(model, rule, new double[][] {inputs[3], inputs[4]}),
                batcher.predict(model, rule, new double[][] {inputs[5], inputs[6], inputs[7], inputs[8], inputs[9]}),
                batcher.predict(model, rule, new double[][] {inputs[10]}),
                batcher.predict(model, rule, new double[][] {inputs[0]})));

        assertThat(shares.stream().map(DynamicBatcher.Share::batchSize)).containsExactly(3, 3, 3, 4, 5, 4, 4);
        double[] pair = shares.get(3).probabilities();
        assertThat(pair[0]).isCloseTo(model.predict(inputs[3]), within(1e-12));
        assertThat(pair[1]).isCloseTo(model.predict(inputs[4]), within(1e-12));
        assertThat(shares.get(4).probabilities()).hasSize(5);
        assertThat(shares.get(4).probabilities()[4]).isCloseTo(model.predict(inputs[9]), within(1e-12));
        assertPasses(3, 12);
    }

    @Test
    void modelsNeverShareAPass(Vertx vertx) {
        Model first = ClassifierTesting.randomModel("1");
        Model second = ClassifierTesting.randomModel("2");
        DynamicBatcher batcher = batcher(vertx, 2, FOREVER_MICROS);
        double[][] inputs = pictures(first, 2, 6);

        List<DynamicBatcher.Share> shares = onContext(() -> List.of(
                batcher.predict(first, rule, new double[][] {inputs[0]}),
                batcher.predict(second, rule, new double[][] {inputs[0]}),
                batcher.predict(first, rule, new double[][] {inputs[1]}),
                batcher.predict(second, rule, new double[][] {inputs[1]})));

        Map<Integer, Model> byCall = Map.of(0, first, 1, second, 2, first, 3, second);
        for (int call = 0; call < 4; call++) {
            assertThat(shares.get(call).probabilities()[0])
                    .isCloseTo(byCall.get(call).predict(inputs[call / 2]), within(1e-12));
        }
        assertThat(first.predict(inputs[0])).isNotEqualTo(second.predict(inputs[0]));
        assertPasses(2, 4);
    }
}
