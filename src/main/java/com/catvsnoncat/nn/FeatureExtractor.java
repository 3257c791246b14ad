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
    // A thread's pictures as the extractor sees them, reused from pass to pass: at 96x96 a picture's float copy and
    // upscale (with its scratch) are some 300 KB, which would otherwise be garbage after every classification.
    private static final ThreadLocal<Pictures> PICTURES = ThreadLocal.withInitial(Pictures::new);

    /** One thread's buffers for the pictures of a pass; valid until that thread's next pass. */
    private static final class Pictures {
        final float[][] pass = new float[BATCH][];
        float[] copy;
        double[] alongX;

        /** The {@code slot}th picture of a pass at {@code side}, reused when it has that size. */
        float[] slot(int slot, int side) {
            int size = side * side * InputVectors.CHANNELS;
            if (pass[slot] == null || pass[slot].length != size) {
                pass[slot] = new float[size];
            }
            return pass[slot];
        }
    }

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
        return features(new double[][] {input})[0];
    }

    /**
     * The features of several input vectors, {@link #BATCH} pictures per pass through the extractor (its 1x1
     * convolutions then run as one matrix product over all their pixels).
     */
    public double[][] features(double[][] inputs) {
        double[][] features = new double[inputs.length][];
        Pictures buffers = PICTURES.get();
        for (int from = 0; from < inputs.length; from += BATCH) {
            float[][] pictures = new float[Math.min(BATCH, inputs.length - from)][];
            for (int i = 0; i < pictures.length; i++) {
                pictures[i] = picture(inputs[from + i], buffers, i);
            }
            double[][] batch = network.features(pictures, inputSize);
            System.arraycopy(batch, 0, features, from, batch.length);
        }
        return features;
    }

    /** The features of one input vector, with what {@link #inputGradient} needs. */
    public MobileNetV2.Trace trace(double[] input) {
        // The trace keeps its picture: a new one, not a thread's reused buffer.
        return network.trace(picture(input, new Pictures(), 0), inputSize);
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

    /** The picture as the extractor sees it: float32, at {@link #inputSize()}, in {@code buffers}' slot. */
    private float[] picture(double[] input, Pictures buffers, int slot) {
        if (input.length != InputVectors.SIZE) {
            throw new IllegalArgumentException("the feature extractor takes 64x64 RGB input vectors ("
                    + InputVectors.SIZE + " values), got " + input.length);
        }
        float[] picture = buffers.slot(slot, inputSize);
        if (inputSize == InputVectors.SIDE) {
            copy(input, picture);
            return picture;
        }
        if (buffers.copy == null) {
            buffers.copy = new float[InputVectors.SIZE];
        }
        int scratch = InputVectors.SIDE * inputSize * InputVectors.CHANNELS;
        if (buffers.alongX == null || buffers.alongX.length < scratch) {
            buffers.alongX = new double[scratch];
        }
        copy(input, buffers.copy);
        Convolutions.resizeAlignedCorners(buffers.copy, InputVectors.SIDE, InputVectors.CHANNELS, inputSize,
                buffers.alongX, picture);
        return picture;
    }

    private static void copy(double[] input, float[] picture) {
        for (int i = 0; i < input.length; i++) {
            picture[i] = (float) input[i];
        }
    }
}
