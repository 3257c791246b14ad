package com.catvsnoncat.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelMetadataTest {
    private static final ModelMetadata METADATA = ModelMetadata.create("cat", "2.0.0", new int[] {12288, 20, 7, 5, 1}, true);

    @Test
    void newMetadataHasTheDocumentedDefaults() {
        JsonObject json = METADATA.toJson();

        assertThat(json.getString("format")).isEqualTo("catvsnoncat-model");
        assertThat(json.getInteger("formatVersion")).isEqualTo(1);
        assertThat(json.getJsonArray("layers").getList()).containsExactly(12288, 20, 7, 5, 1);
        assertThat(json.getJsonObject("preprocessing")).isEqualTo(new JsonObject()
                .put("width", 64).put("height", 64).put("channels", 3).put("layout", "HWC")
                .put("scale", 1.0 / 255).put("resize", "area-average").put("standardized", true));
        assertThat(METADATA.createdAt()).isBetween(Instant.now().minus(1, ChronoUnit.MINUTES), Instant.now());
        assertThat(json.getString("createdAt")).endsWith("Z");
        assertThat(METADATA.training().isEmpty()).isTrue();
        assertThat(METADATA.costs()).isEmpty();
        assertThat(METADATA.contentHash()).isEmpty();
    }

    @Test
    void withMethodsReturnCopiesAndLeaveTheOriginalAlone() {
        ModelMetadata trained = METADATA.withAccuracy("validation", 0.9)
                .withCosts(List.of(new ModelMetadata.Cost(0, 0.7)))
                .withTraining(new JsonObject().put("seed", 3))
                .with("dataset", new JsonObject().put("name", "catvnoncat"));

        assertThat(trained.accuracy("validation")).hasValue(0.9);
        assertThat(trained.costs()).containsExactly(new ModelMetadata.Cost(0, 0.7));
        assertThat(trained.training().getInteger("seed")).isEqualTo(3);
        assertThat(trained.toJson().getJsonObject("dataset").getString("name")).isEqualTo("catvnoncat");
        assertThat(METADATA.accuracy("validation")).isEmpty();
        assertThat(METADATA.toJson().containsKey("dataset")).isFalse();
    }

    @Test
    void unknownKeysSurviveAJsonRoundTrip() {
        JsonObject json = METADATA.toJson().put("futureKey", new JsonObject().put("a", 1));

        assertThat(ModelMetadata.fromJson(new JsonObject(json.encode())).toJson()).isEqualTo(json);
    }

    @Test
    void rejectsInvalidValuesWithTheKeyInTheMessage() {
        assertThatThrownBy(() -> METADATA.withAccuracy("test", 1.5)).hasMessageContaining("accuracy.test must be a fraction in [0, 1]");
        assertThatThrownBy(() -> METADATA.withAccuracy("holdout", 0.5)).hasMessageContaining("unknown split 'holdout'");
        assertThatThrownBy(() -> new ModelMetadata.Cost(3, Double.NaN)).hasMessageContaining("finite");
        assertThatThrownBy(() -> METADATA.withContentHash("md5:abc")).hasMessageContaining("contentHash must be 'sha256:'");
        assertThatThrownBy(() -> METADATA.with("createdAt", "yesterday")).hasMessageContaining("createdAt must be an ISO-8601");
        assertThatThrownBy(() -> METADATA.with("layers", List.of(5))).hasMessageContaining("at least the input and output");
        assertThatThrownBy(() -> METADATA.with("formatVersion", 1.5)).hasMessageContaining("formatVersion must be an integer");
        assertThatThrownBy(() -> ModelMetadata.fromJson(METADATA.toJson().put("formatVersion", 2)))
                .hasMessage("model format version 2 is newer than this reader supports (1); use a newer catvsnoncat");
        assertThatThrownBy(() -> ModelMetadata.fromJson(new JsonObject()))
                .hasMessage("not a catvsnoncat model: format is missing, expected 'catvsnoncat-model'");
    }
}
