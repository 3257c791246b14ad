package com.catvsnoncat.nn;

import static com.catvsnoncat.testing.RandomModels.gaussian;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.catvsnoncat.data.InputVectors;
import com.catvsnoncat.model.BackboneFile;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gradient of p(cat) with respect to the picture through the whole feature model (upscale, MobileNetV2, pooling,
 * standardisation, network) against central finite differences. The extractor computes in float32, so the check is
 * on directional derivatives with a step large enough for float rounding not to matter.
 */
class FeatureSaliencyTest {
    private static final double STEP = 1e-3;

    @ParameterizedTest
    @ValueSource(ints = {64, 96})
    void gradientThroughTheBackboneMatchesFiniteDifferences(int inputSize) {
        BackboneFile.Loaded backbone = BackboneFile.bundled(BackboneFile.MOBILENETV2);
        FeatureExtractor extractor = new FeatureExtractor(backbone.name(), backbone.network(), backbone.sha256(),
                inputSize);
        Random random = new Random(inputSize);
        double[] input = new double[InputVectors.SIZE];
        for (int i = 0; i < input.length; i++) {
            input[i] = 0.2 + 0.6 * random.nextDouble();
        }
        double[] features = extractor.features(input);
        double[] mean = features.clone();
        double[] scale = new double[features.length];
        for (int i = 0; i < scale.length; i++) {
            scale[i] = 0.5 + Math.abs(features[i]);
        }
        Standardizer standardizer = new Standardizer(mean, scale);
        Network network = new Network(List.of(gaussian(random, 8, 96, 0.5), gaussian(random, 1, 8, 1)),
                List.of(gaussian(random, 8, 1, 0.1), gaussian(random, 1, 1, 0.1)));

        Saliency.Result result = Saliency.of(extractor, network, standardizer, input);
        assertThat(result.probability()).isCloseTo(probability(extractor, network, standardizer, input), within(1e-12));
        double gradientNorm = Math.sqrt(dot(result.gradient(), result.gradient()));
        assertThat(gradientNorm).as("the check must not pass trivially with a zero gradient").isGreaterThan(1e-3);

        for (int direction = 0; direction < 4; direction++) {
            double[] unit = new double[input.length];
            for (int i = 0; i < unit.length; i++) {
                unit[i] = random.nextGaussian();
            }
            double norm = Math.sqrt(dot(unit, unit));
            double[] up = input.clone();
            double[] down = input.clone();
            for (int i = 0; i < unit.length; i++) {
                unit[i] /= norm;
                up[i] += STEP * unit[i];
                down[i] -= STEP * unit[i];
            }
            double numeric = (probability(extractor, network, standardizer, up)
                    - probability(extractor, network, standardizer, down)) / (2 * STEP);
            double analytic = dot(result.gradient(), unit);
            assertThat(analytic).as("directional derivative %d", direction)
                    .isCloseTo(numeric, within(0.02 * gradientNorm));
        }
        // Pixel by pixel where the gradient is largest: the map the saliency overlay draws.
        int strongest = 0;
        for (int i = 1; i < input.length; i++) {
            if (Math.abs(result.gradient()[i]) > Math.abs(result.gradient()[strongest])) {
                strongest = i;
            }
        }
        double[] up = input.clone();
        double[] down = input.clone();
        up[strongest] += STEP;
        down[strongest] -= STEP;
        double numeric = (probability(extractor, network, standardizer, up)
                - probability(extractor, network, standardizer, down)) / (2 * STEP);
        assertThat(result.gradient()[strongest]).isCloseTo(numeric, within(0.02 * Math.abs(numeric)));
    }

    private static double probability(FeatureExtractor extractor, Network network, Standardizer standardizer,
                                      double[] input) {
        double[] features = extractor.features(input);
        standardizer.applyInPlace(features);
        return network.predict(features);
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
