package com.catvsnoncat.classifier;

import static com.catvsnoncat.testing.RandomModels.gaussian;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.catvsnoncat.nn.Network;
import com.catvsnoncat.nn.Saliency;
import com.catvsnoncat.nn.Standardizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

class SaliencyTest {
    private static final double STEP = 1e-6;

    @Test
    void gradientMatchesCentralFiniteDifferencesWithoutStandardisation() {
        checkAgainstFiniteDifferences(network(1, 40, 9, 6, 1), null, 2);
    }

    @Test
    void gradientMatchesCentralFiniteDifferencesThroughTheStandardizer() {
        Random random = new Random(3);
        double[] mean = new double[40];
        double[] scale = new double[40];
        for (int i = 0; i < 40; i++) {
            mean[i] = random.nextDouble();
            scale[i] = 0.1 + random.nextDouble();
        }
        checkAgainstFiniteDifferences(network(4, 40, 7, 1), new Standardizer(mean, scale), 5);
    }

    private static void checkAgainstFiniteDifferences(Network network, Standardizer standardizer, long seed) {
        Random random = new Random(seed);
        double[] input = new double[network.inputSize()];
        for (int i = 0; i < input.length; i++) {
            input[i] = random.nextDouble();
        }
        double[] original = input.clone();
        Saliency.Result result = Saliency.of(network, standardizer, input);
        assertThat(input).as("the input is not modified").isEqualTo(original);

        assertThat(result.probability()).isEqualTo(probability(network, standardizer, input), within(1e-15));
        double largest = 0;
        for (int i = 0; i < input.length; i++) {
            double[] up = input.clone();
            double[] down = input.clone();
            up[i] += STEP;
            down[i] -= STEP;
            double numeric = (probability(network, standardizer, up) - probability(network, standardizer, down))
                    / (2 * STEP);
            assertThat(result.gradient()[i]).as("d p / d x[%d]", i).isCloseTo(numeric, within(1e-8));
            largest = Math.max(largest, Math.abs(numeric));
        }
        assertThat(largest).as("the check must not pass trivially with a zero gradient").isGreaterThan(1e-4);
    }

    private static double probability(Network network, Standardizer standardizer, double[] raw) {
        double[] x = raw.clone();
        if (standardizer != null) {
            standardizer.applyInPlace(x);
        }
        return network.predict(x);
    }

    private static Network network(long seed, int... layers) {
        Random random = new Random(seed);
        List<RealMatrix> weights = new ArrayList<>();
        List<RealMatrix> biases = new ArrayList<>();
        for (int l = 1; l < layers.length; l++) {
            weights.add(gaussian(random, layers[l], layers[l - 1], 1.0 / Math.sqrt(layers[l - 1])));
            biases.add(gaussian(random, layers[l], 1, 0.1));
        }
        return new Network(weights, biases);
    }
}
