package com.catvsnoncat.model;

import static com.catvsnoncat.model.TestModels.metadataOf;
import static com.catvsnoncat.model.TestModels.putMetadata;
import static com.catvsnoncat.model.TestModels.randomNetwork;
import static com.catvsnoncat.model.TestModels.randomStandardizer;
import static com.catvsnoncat.model.TestModels.rejection;
import static com.catvsnoncat.model.TestModels.unzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.catvsnoncat.data.InputVectors;
import com.catvsnoncat.nn.FeatureExtractor;
import com.catvsnoncat.nn.Network;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A model with the MobileNetV2 extractor in front: written, read back, and refused with any other extractor. */
class FeatureModelFileTest {
    private static final BackboneFile.Loaded BACKBONE = BackboneFile.bundled(BackboneFile.MOBILENETV2);

    private static Model featureModel(int inputSize) {
        Network network = randomNetwork(3, 96, 4, 1);
        FeatureExtractor extractor = new FeatureExtractor(BACKBONE.name(), BACKBONE.network(), BACKBONE.sha256(),
                inputSize);
        ModelMetadata metadata = ModelMetadata.create("features-test", "1", network.layerSizes(), true)
                .withFeatures(new ModelMetadata.Features(BACKBONE.name(), BACKBONE.sha256(), inputSize));
        return new Model(extractor, network, randomStandardizer(4, 96), metadata);
    }

    @Test
    void theBundledExtractorIsTheCommittedFileOfMobileNetV2() {
        assertThat(BACKBONE.sha256()).matches("[0-9a-f]{64}");
        assertThat(BACKBONE.network().featureCount()).isEqualTo(96);
    }

    @Test
    void aFeatureModelRoundTripsAndPredictsThroughTheExtractor() {
        Model model = featureModel(96);
        Model read = ModelFile.read(new ByteArrayInputStream(ModelFile.toBytes(model)));

        assertThat(read.metadata().features()).contains(new ModelMetadata.Features(BACKBONE.name(), BACKBONE.sha256(), 96));
        assertThat(read.features().inputSize()).isEqualTo(96);
        double[] picture = new double[InputVectors.SIZE];
        Random random = new Random(5);
        for (int i = 0; i < picture.length; i++) {
            picture[i] = random.nextDouble();
        }
        double[] features = model.features().features(picture);
        model.standardizer().applyInPlace(features);
        double expected = model.network().predict(features);
        assertThat(read.predict(picture)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void aModelTrainedOnAnotherExtractorFileIsRefused() {
        Map<String, byte[]> entries = unzip(ModelFile.toBytes(featureModel(64)));
        JsonObject metadata = metadataOf(entries);
        String other = "0".repeat(64);
        metadata.getJsonObject("features").put("sha256", other);
        putMetadata(entries, metadata);

        assertThat(rejection(ModelFile.zip(entries))).contains("sha256 " + other).contains(BACKBONE.sha256())
                .contains("retrain");
    }

    @Test
    void anUnknownExtractorOrInputSizeIsRefused() {
        Map<String, byte[]> entries = unzip(ModelFile.toBytes(featureModel(64)));
        JsonObject metadata = metadataOf(entries);
        metadata.getJsonObject("features").put("extractor", "resnet50");
        putMetadata(entries, metadata);
        assertThat(rejection(ModelFile.zip(entries))).contains("unknown feature extractor 'resnet50'");

        metadata.getJsonObject("features").put("extractor", BACKBONE.name()).put("inputSize", 100);
        putMetadata(entries, metadata);
        assertThat(rejection(ModelFile.zip(entries))).contains("input size must be one of [64, 96, 128]");
    }
}
