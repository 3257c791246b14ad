package com.catvsnoncat.nn;

/**
 * Per-feature input standardisation (x - mean) / scale, fitted on training data and stored with the model
 * so that prediction sees inputs exactly as training did.
 */
public record Standardizer(double[] mean, double[] scale) {

    public Standardizer {
        if (mean.length != scale.length) {
            throw new IllegalArgumentException("mean and scale differ in length: " + mean.length + " vs " + scale.length);
        }
        for (double s : scale) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("standardisation scales must be positive and finite");
            }
        }
    }

    public int size() {
        return mean.length;
    }

    /** Standardises one input vector in place. */
    public void applyInPlace(double[] input) {
        for (int i = 0; i < input.length; i++) {
            input[i] = (input[i] - mean[i]) / scale[i];
        }
    }
}
