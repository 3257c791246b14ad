package com.catvsnoncat.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.catvsnoncat.data.ImagePreprocessor;
import com.catvsnoncat.data.InputVectors;
import com.catvsnoncat.model.BackboneFile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The Java extractor against TensorFlow.js running the published nsfwjs model on the same pictures
 * (src/test/resources/backbone/expected-features.json, written by {@code make backbone-fixtures}).
 */
class MobileNetV2ParityTest {
    private static final double TOLERANCE = 1e-4;

    @Test
    void featuresMatchTensorFlowJsAtEveryInputSize() throws IOException {
        BackboneFile.Loaded backbone = BackboneFile.bundled(BackboneFile.MOBILENETV2);
        assertEquals(96, backbone.network().featureCount());
        JsonArray pictures = fixtures().getJsonArray("pictures");
        assertEquals(3, pictures.size());
        int compared = 0;
        for (Object item : pictures) {
            JsonObject picture = (JsonObject) item;
            double[] input = InputVectors.fromRgbBytes(Base64.getDecoder().decode(picture.getString("rgb")));
            JsonObject expectedBySize = picture.getJsonObject("features");
            for (String size : expectedBySize.fieldNames()) {
                FeatureExtractor extractor = new FeatureExtractor(backbone.name(), backbone.network(),
                        backbone.sha256(), Integer.parseInt(size));
                double[] actual = extractor.features(input);
                JsonArray expected = expectedBySize.getJsonArray(size);
                assertEquals(96, expected.size());
                double largest = 0;
                for (int i = 0; i < actual.length; i++) {
                    assertEquals(expected.getDouble(i), actual[i], TOLERANCE,
                            picture.getString("name") + " at " + size + ", feature " + i);
                    largest = Math.max(largest, Math.abs(expected.getDouble(i)));
                }
                assertTrue(largest > 0.1, "the features of " + picture.getString("name") + " are not all near 0");
                compared++;
            }
        }
        assertEquals(9, compared);
    }

    @Test
    void theFixturesWarmUpPictureIsWhatThePreprocessingPathMakesOfIt() throws IOException {
        byte[] png;
        try (InputStream in = getClass().getResourceAsStream("/warmup/picture-64.png")) {
            png = in.readAllBytes();
        }
        JsonObject first = fixtures().getJsonArray("pictures").getJsonObject(0);
        assertArrayEquals(Base64.getDecoder().decode(first.getString("rgb")), new ImagePreprocessor().toRgb64(png));
    }

    private JsonObject fixtures() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/backbone/expected-features.json")) {
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
