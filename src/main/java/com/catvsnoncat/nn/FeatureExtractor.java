package com.catvsnoncat.nn;

import com.catvsnoncat.data.InputVectors;
import java.util.Objects;
import java.util.Set;

/**
 * A fixed convolutional network in front of the L-layer network: the picture's input vector (64x64 RGB scaled to
 * [0, 1], the one preprocessing path) as float32, upscaled bilinearly with aligned corners to {@code inputSize} when
 * that is larger, then the extractor's average-pooled features. No mean or standard deviation is applied: the
 * ImageNet MobileNetV2 weights in use were trained on pixel / 255.
 *
 * @param name      the extractor's name, e.g. "mobilenetv2-block10"
 * @param sha256    hex SHA-256 of the file the extractor's weights came from
 * @param inputSize side of the square picture the extractor sees: 64, 96 or 128
 */
public record FeatureExtractor(String name, MobileNetV2 network, String sha256, int inputSize) {
    /** Sides that stay even down to the last stride-2 layer, so the zero padding is the one the weights expect. */
    public static final Set<Integer> INPUT_SIZES = Set.of(64, 96, 128);
    /**
     * Pictures per pass of a batch: the extractor keeps its blocks' outputs per thread, about 2 MB a picture at
     * 128x128, so a batch's memory grows with it while the speed gained levels off after a few pictures.
     */
    static final int BATCH = 4;

    public FeatureExtractor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(sha256, "sha256");
        if (!INPUT_SIZES.contains(inputSize)) {
            throw new IllegalArgumentException("the extractor's input size must be one of " + INPUT_SIZES.stream().sorted().toList()
                    + ", is " + inputSize);
        }
        if (network.inputChannels() != InputVectors.CHANNELS) {
            throw new IllegalArgumentException("the extractor takes " + network.inputChannels()
                    + " channels, pictures have " + InputVectors.CHANNELS);
        }
    }

    public int featureCount() {
        return network.featureCount();
    }

    /** @param input a 64x64 RGB input vector as {@link InputVectors} makes it */
    public double[] features(double[] input) {
        return network.features(picture(input), inputSize);
    }

    /**
     * The features of several input vectors, {@link #BATCH} pictures per pass through the extractor (its 1x1
     * convolutions then run as one matrix product over all their pixels).
     */
    public double[][] features(double[][] inputs) {
        double[][] features = new double[inputs.length][];
        for (int from = 0; from < inputs.length; from += BATCH) {
            float[][] pictures = new float[Math.min(BATCH, inputs.length - from)][];
            for (int i = 0; i < pictures.length; i++) {
                pictures[i] = picture(inputs[from + i]);
            }
            double[][] batch = network.features(pictures, inputSize);
            System.arraycopy(batch, 0, features, from, batch.length);
        }
        return features;
    }

    /** The features of one input vector, with what {@link #inputGradient} needs. */
    public MobileNetV2.Trace trace(double[] input) {
        return network.trace(picture(input), inputSize);
    }

    /**
     * The gradient of a function of the features with respect to the input vector (through the upscale, if any),
     * given that function's gradient with respect to the features.
     */
    public double[] inputGradient(MobileNetV2.Trace trace, double[] featureGradient) {
        double[] pictureGradient = network.pictureGradient(trace, featureGradient);
        return Convolutions.resizeAlignedCornersTransposed(pictureGradient, inputSize, InputVectors.CHANNELS,
                InputVectors.SIDE);
    }

    /** The picture as the extractor sees it: float32, at {@link #inputSize()}. */
    float[] picture(double[] input) {
        if (input.length != InputVectors.SIZE) {
            throw new IllegalArgumentException("the feature extractor takes 64x64 RGB input vectors ("
                    + InputVectors.SIZE + " values), got " + input.length);
        }
        float[] picture = new float[input.length];
        for (int i = 0; i < input.length; i++) {
            picture[i] = (float) input[i];
        }
        return inputSize == InputVectors.SIDE ? picture
                : Convolutions.resizeAlignedCorners(picture, InputVectors.SIDE, InputVectors.CHANNELS, inputSize);
    }
}
