package com.catvsnoncat.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.catvsnoncat.model.DefaultModel;
import com.catvsnoncat.model.Model;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Which batching rule a model gets: its own by name, else its kind's; and what a wrong value says. */
class BatchingConfigTest {
    private static JsonObject rule(int maxBatch, long delayMicros) {
        return new JsonObject().put("maxBatch", maxBatch).put("maxQueueDelayMicros", delayMicros);
    }

    @Test
    void aModelBatchesByItsOwnRuleElseByItsKinds() {
        BatchingConfig config = ClassifierConfig.from(new JsonObject().put("batching", new JsonObject()
                .put("pixel", rule(8, 0)).put("features", rule(4, 500))
                .put("models", new JsonObject().put("special", rule(16, 2000))))).batching();
        Model pixels = ClassifierTesting.randomModel("1");
        Model features = DefaultModel.load();

        assertThat(config.of("catvnoncat-pixels", pixels)).isEqualTo(new BatchingConfig.Rule(8, 0));
        assertThat(config.of("catvnoncat", features)).isEqualTo(new BatchingConfig.Rule(4, 500));
        assertThat(config.of("special", pixels)).isEqualTo(new BatchingConfig.Rule(16, 2000));
        assertThat(config.of("special", features).enabled()).isTrue();
    }

    @Test
    void theDefaultsAreWhatTheBenchmarkChoseForEachKind() {
        BatchingConfig defaults = ClassifierConfig.from(new JsonObject()).batching();

        // make bench-serve (README, "Dynamic batching"): the pixel network served more with batching from 8
        // connections on and no worse at 1; the feature model served less with it.
        assertThat(defaults.models()).isEmpty();
        assertThat(defaults.pixel()).isEqualTo(new BatchingConfig.Rule(8, 0));
        assertThat(defaults.features().enabled()).isFalse();
    }

    @Test
    void aWrongValueNamesItsKey() {
        assertThatThrownBy(() -> ClassifierConfig.from(new JsonObject().put("batching", new JsonObject()
                .put("models", new JsonObject().put("m", rule(0, 0))))))
                .hasMessageContaining("classifier.batching.models.m").hasMessageContaining("maxBatch");
        assertThatThrownBy(() -> ClassifierConfig.from(new JsonObject().put("batching", new JsonObject()
                .put("pixel", rule(4, -1))))).hasMessageContaining("maxQueueDelayMicros");
    }
}
