package com.catvsnoncat.nn;

import java.util.List;
import java.util.Objects;

/**
 * The gradient of the network's output probability with respect to one raw input vector, from the network's own
 * backward pass: seeding dZ_L with s(1 - s) (the derivative of the sigmoid output) instead of the cross-entropy's
 * dZ makes {@link Propagation#backwardFrom} carry d p(cat) / d Z down to Z1; one more product W1^T dZ1 gives
 * d p / d A0, and the standardisation (x - mean) / scale contributes a factor 1 / scale per input.
 */
public final class Saliency {
    private Saliency() {
    }

    /**
     * @param probability p(cat) for the input, the same value {@link Network#predict(double[])} gives
     * @param gradient    d p(cat) / d x_i for every raw input x_i (before standardisation)
     */
    public record Result(double probability, double[] gradient) {
    }

    /**
     * Through a feature extractor too: the network's gradient with respect to the features, carried back through
     * the extractor to the picture's input vector.
     *
     * @param features the extractor in front of the network, or null for a network on the pixels
     */
    public static Result of(FeatureExtractor features, Network network, Standardizer standardizer, double[] input) {
        if (features == null) {
            return of(network, standardizer, input);
        }
        MobileNetV2.Trace trace = features.trace(input);
        Result onFeatures = of(network, standardizer, trace.features());
        return new Result(onFeatures.probability(), features.inputGradient(trace, onFeatures.gradient()));
    }

    /**
     * @param standardizer the standardisation the network was trained with, or null
     * @param input        one raw input vector (as from the picture, not standardised); not modified
     */
    public static Result of(Network network, Standardizer standardizer, double[] input) {
        Objects.requireNonNull(network, "network");
        if (input.length != network.inputSize()) {
            throw new IllegalArgumentException("input has " + input.length + " values, the network takes "
                    + network.inputSize());
        }
        double[] x = input.clone();
        if (standardizer != null) {
            standardizer.applyInPlace(x);
        }
        double[][] column = new double[x.length][1];
        for (int i = 0; i < x.length; i++) {
            column[i][0] = x[i];
        }
        List<double[][]> weights = network.weightArrays();
        List<double[][]> biases = network.biasArrays();
        Propagation.Pass pass = Propagation.forward(column, weights, biases);
        double probability = pass.output()[0];
        pass.dz(weights.size())[0][0] = probability * (1 - probability);
        Propagation.backwardFromOutput(pass, weights);
        double[][] firstLayerDz = pass.dz(1);

        double[][] inputGradient = new double[input.length][1];
        MatrixKernels.accumulate(weights.get(0), true, firstLayerDz, inputGradient);
        double[] gradient = new double[input.length];
        for (int i = 0; i < input.length; i++) {
            gradient[i] = standardizer == null ? inputGradient[i][0] : inputGradient[i][0] / standardizer.scale()[i];
        }
        return new Result(probability, gradient);
    }
}
