package com.catvsnoncat.nn;

/**
 * The float32 kernels of the feature extractor on one picture in NHWC layout (pixel (y, x) channel c at
 * {@code (y * width + x) * channels + c}). Batch normalisation is already folded into the weights and biases, and
 * the activation (ReLU6) and the residual add are applied in each kernel's output loop, so every tensor is written
 * once. The innermost loops run over output channels, contiguous in memory, which the JIT vectorises.
 */
final class Convolutions {
    static final float RELU6_MAX = 6f;

    private Convolutions() {
    }

    /**
     * A 1x1 convolution: the matrix product of the pixels (rows) by the {@code in x out} weights. Four pixels and
     * four input channels at a time, so each pass over a row of outputs does sixteen multiply-adds per load and
     * store of an output value (the JIT vectorises the loop over output channels); the bias, the residual and ReLU6
     * are applied to those four rows while they are still in cache.
     *
     * @param residual null, or a tensor of the output's shape added after the bias (the projections that end a
     *                 residual block are linear, so no activation follows it)
     */
    static void pointwise(float[] input, int pixels, int in, float[] weights, float[] bias, int out, boolean relu6,
                          float[] residual, float[] output) {
        int p = 0;
        for (; p + 4 <= pixels; p += 4) {
            int o0 = p * out;
            int o1 = o0 + out;
            int o2 = o1 + out;
            int o3 = o2 + out;
            System.arraycopy(bias, 0, output, o0, out);
            System.arraycopy(bias, 0, output, o1, out);
            System.arraycopy(bias, 0, output, o2, out);
            System.arraycopy(bias, 0, output, o3, out);
            int i0 = p * in;
            int i1 = i0 + in;
            int i2 = i1 + in;
            int i3 = i2 + in;
            int k = 0;
            for (; k + 4 <= in; k += 4) {
                float a00 = input[i0 + k], a01 = input[i0 + k + 1], a02 = input[i0 + k + 2], a03 = input[i0 + k + 3];
                float a10 = input[i1 + k], a11 = input[i1 + k + 1], a12 = input[i1 + k + 2], a13 = input[i1 + k + 3];
                float a20 = input[i2 + k], a21 = input[i2 + k + 1], a22 = input[i2 + k + 2], a23 = input[i2 + k + 3];
                float a30 = input[i3 + k], a31 = input[i3 + k + 1], a32 = input[i3 + k + 2], a33 = input[i3 + k + 3];
                int w0 = k * out;
                int w1 = w0 + out;
                int w2 = w1 + out;
                int w3 = w2 + out;
                for (int c = 0; c < out; c++) {
                    float v0 = weights[w0 + c];
                    float v1 = weights[w1 + c];
                    float v2 = weights[w2 + c];
                    float v3 = weights[w3 + c];
                    output[o0 + c] += a00 * v0 + a01 * v1 + a02 * v2 + a03 * v3;
                    output[o1 + c] += a10 * v0 + a11 * v1 + a12 * v2 + a13 * v3;
                    output[o2 + c] += a20 * v0 + a21 * v1 + a22 * v2 + a23 * v3;
                    output[o3 + c] += a30 * v0 + a31 * v1 + a32 * v2 + a33 * v3;
                }
            }
            for (; k < in; k++) {
                float a0 = input[i0 + k];
                float a1 = input[i1 + k];
                float a2 = input[i2 + k];
                float a3 = input[i3 + k];
                int w = k * out;
                for (int c = 0; c < out; c++) {
                    float v = weights[w + c];
                    output[o0 + c] += a0 * v;
                    output[o1 + c] += a1 * v;
                    output[o2 + c] += a2 * v;
                    output[o3 + c] += a3 * v;
                }
            }
            finish(output, o0, 4 * out, relu6, residual);
        }
        for (; p < pixels; p++) {
            int o = p * out;
            System.arraycopy(bias, 0, output, o, out);
            int i = p * in;
            for (int k = 0; k < in; k++) {
                float a = input[i + k];
                int w = k * out;
                for (int c = 0; c < out; c++) {
                    output[o + c] += a * weights[w + c];
                }
            }
            finish(output, o, out, relu6, residual);
        }
    }

    /**
     * A 3x3 depthwise convolution with zero padding {@code padTop}/{@code padLeft} (the bottom and right padding
     * follow from the output size) and the given stride. Memory-bound: each output pixel's channels are computed in
     * one pass over the nine taps' rows when the whole window lies inside the picture, tap by tap at the border.
     *
     * @param weights 9 x channels, tap (ky, kx) at row ky * 3 + kx
     */
    static void depthwise(float[] input, int height, int width, int channels, float[] weights, float[] bias,
                          int stride, int padTop, int padLeft, int outHeight, int outWidth, boolean relu6,
                          float[] output) {
        int rowStride = width * channels;
        for (int oy = 0; oy < outHeight; oy++) {
            int top = oy * stride - padTop;
            for (int ox = 0; ox < outWidth; ox++) {
                int left = ox * stride - padLeft;
                int o = (oy * outWidth + ox) * channels;
                if (top >= 0 && top + 2 < height && left >= 0 && left + 2 < width) {
                    int r0 = (top * width + left) * channels;
                    int r1 = r0 + rowStride;
                    int r2 = r1 + rowStride;
                    int c1 = channels;
                    int c2 = 2 * channels;
                    for (int c = 0; c < channels; c++) {
                        output[o + c] = bias[c]
                                + input[r0 + c] * weights[c] + input[r0 + c1 + c] * weights[c1 + c]
                                + input[r0 + c2 + c] * weights[c2 + c]
                                + input[r1 + c] * weights[3 * channels + c]
                                + input[r1 + c1 + c] * weights[4 * channels + c]
                                + input[r1 + c2 + c] * weights[5 * channels + c]
                                + input[r2 + c] * weights[6 * channels + c]
                                + input[r2 + c1 + c] * weights[7 * channels + c]
                                + input[r2 + c2 + c] * weights[8 * channels + c];
                    }
                } else {
                    System.arraycopy(bias, 0, output, o, channels);
                    for (int ky = 0; ky < 3; ky++) {
                        int iy = top + ky;
                        if (iy < 0 || iy >= height) {
                            continue;
                        }
                        for (int kx = 0; kx < 3; kx++) {
                            int ix = left + kx;
                            if (ix < 0 || ix >= width) {
                                continue;
                            }
                            int i = (iy * width + ix) * channels;
                            int w = (ky * 3 + kx) * channels;
                            for (int c = 0; c < channels; c++) {
                                output[o + c] += input[i + c] * weights[w + c];
                            }
                        }
                    }
                }
                finish(output, o, channels, relu6, null);
            }
        }
    }

    /**
     * A full 3x3 convolution (the stem, on the picture's few channels).
     *
     * @param weights (ky, kx, in) x out, as Keras stores a Conv2D kernel
     */
    static void full3x3(float[] input, int height, int width, int in, float[] weights, float[] bias, int out,
                        int stride, int padTop, int padLeft, int outHeight, int outWidth, boolean relu6,
                        float[] output) {
        for (int oy = 0; oy < outHeight; oy++) {
            for (int ox = 0; ox < outWidth; ox++) {
                int o = (oy * outWidth + ox) * out;
                System.arraycopy(bias, 0, output, o, out);
                for (int ky = 0; ky < 3; ky++) {
                    int iy = oy * stride + ky - padTop;
                    if (iy < 0 || iy >= height) {
                        continue;
                    }
                    for (int kx = 0; kx < 3; kx++) {
                        int ix = ox * stride + kx - padLeft;
                        if (ix < 0 || ix >= width) {
                            continue;
                        }
                        int i = (iy * width + ix) * in;
                        for (int k = 0; k < in; k++) {
                            float a = input[i + k];
                            int w = ((ky * 3 + kx) * in + k) * out;
                            for (int c = 0; c < out; c++) {
                                output[o + c] += a * weights[w + c];
                            }
                        }
                    }
                }
            }
        }
        finish(output, 0, outHeight * outWidth * out, relu6, null);
    }

    /**
     * The transpose of a convolution (its backward pass to the input), in double: adds to {@code inputGradient} the
     * gradient with respect to the input for the gradient with respect to the output. Straightforward loops: it
     * runs once per explained picture, not per classification.
     *
     * @param kernel    1 or 3
     * @param depthwise whether each channel has its own kernel (then {@code in == out})
     */
    static void transposed(int kernel, boolean depthwise, double[] outputGradient, int outSide, int out,
                           float[] weights, int stride, int padTop, int padLeft, int inSide, int in,
                           double[] inputGradient) {
        for (int oy = 0; oy < outSide; oy++) {
            for (int ox = 0; ox < outSide; ox++) {
                int o = (oy * outSide + ox) * out;
                for (int ky = 0; ky < kernel; ky++) {
                    int iy = oy * stride + ky - padTop;
                    if (iy < 0 || iy >= inSide) {
                        continue;
                    }
                    for (int kx = 0; kx < kernel; kx++) {
                        int ix = ox * stride + kx - padLeft;
                        if (ix < 0 || ix >= inSide) {
                            continue;
                        }
                        int i = (iy * inSide + ix) * in;
                        int tap = ky * kernel + kx;
                        if (depthwise) {
                            for (int c = 0; c < out; c++) {
                                inputGradient[i + c] += outputGradient[o + c] * weights[tap * out + c];
                            }
                        } else {
                            for (int k = 0; k < in; k++) {
                                int w = (tap * in + k) * out;
                                double sum = 0;
                                for (int c = 0; c < out; c++) {
                                    sum += outputGradient[o + c] * weights[w + c];
                                }
                                inputGradient[i + k] += sum;
                            }
                        }
                    }
                }
            }
        }
    }

    /** The mean of every channel over all pixels, summed in double. */
    static double[] averagePool(float[] input, int pixels, int channels) {
        double[] sums = new double[channels];
        for (int p = 0; p < pixels; p++) {
            int i = p * channels;
            for (int c = 0; c < channels; c++) {
                sums[c] += input[i + c];
            }
        }
        for (int c = 0; c < channels; c++) {
            sums[c] /= pixels;
        }
        return sums;
    }

    /**
     * Bilinear resize with aligned corners (the corner pixels of input and output coincide), as TensorFlow's
     * {@code resizeBilinear(..., alignCorners=true)} computes it.
     */
    static float[] resizeAlignedCorners(float[] input, int side, int channels, int newSide) {
        if (newSide == side) {
            return input.clone();
        }
        Samples axis = Samples.alignedCorners(side, newSide);
        float[] output = new float[newSide * newSide * channels];
        for (int y = 0; y < newSide; y++) {
            for (int x = 0; x < newSide; x++) {
                int o = (y * newSide + x) * channels;
                for (int c = 0; c < channels; c++) {
                    double topLeft = input[(axis.low[y] * side + axis.low[x]) * channels + c];
                    double topRight = input[(axis.low[y] * side + axis.high[x]) * channels + c];
                    double bottomLeft = input[(axis.high[y] * side + axis.low[x]) * channels + c];
                    double bottomRight = input[(axis.high[y] * side + axis.high[x]) * channels + c];
                    double upper = topLeft + (topRight - topLeft) * axis.fraction[x];
                    double lower = bottomLeft + (bottomRight - bottomLeft) * axis.fraction[x];
                    output[o + c] = (float) (upper + (lower - upper) * axis.fraction[y]);
                }
            }
        }
        return output;
    }

    /** The transpose of {@link #resizeAlignedCorners}: each output's gradient goes back to its four sources. */
    static double[] resizeAlignedCornersTransposed(double[] outputGradient, int newSide, int channels, int side) {
        if (newSide == side) {
            return outputGradient.clone();
        }
        Samples axis = Samples.alignedCorners(side, newSide);
        double[] gradient = new double[side * side * channels];
        for (int y = 0; y < newSide; y++) {
            double fy = axis.fraction[y];
            for (int x = 0; x < newSide; x++) {
                double fx = axis.fraction[x];
                int o = (y * newSide + x) * channels;
                for (int c = 0; c < channels; c++) {
                    double g = outputGradient[o + c];
                    gradient[(axis.low[y] * side + axis.low[x]) * channels + c] += g * (1 - fy) * (1 - fx);
                    gradient[(axis.low[y] * side + axis.high[x]) * channels + c] += g * (1 - fy) * fx;
                    gradient[(axis.high[y] * side + axis.low[x]) * channels + c] += g * fy * (1 - fx);
                    gradient[(axis.high[y] * side + axis.high[x]) * channels + c] += g * fy * fx;
                }
            }
        }
        return gradient;
    }

    /** Where each output coordinate samples the input along one axis: between low and high, at fraction. */
    private record Samples(int[] low, int[] high, double[] fraction) {
        static Samples alignedCorners(int side, int newSide) {
            int[] low = new int[newSide];
            int[] high = new int[newSide];
            double[] fraction = new double[newSide];
            double ratio = newSide > 1 ? (side - 1) / (double) (newSide - 1) : 0;
            for (int i = 0; i < newSide; i++) {
                double source = ratio * i;
                low[i] = (int) Math.floor(source);
                high[i] = Math.min(side - 1, (int) Math.ceil(source));
                fraction[i] = source - low[i];
            }
            return new Samples(low, high, fraction);
        }
    }

    /** The residual add and ReLU6 on {@code output[from, from + length)}. */
    private static void finish(float[] output, int from, int length, boolean relu6, float[] residual) {
        int end = from + length;
        if (residual != null) {
            for (int i = from; i < end; i++) {
                output[i] += residual[i];
            }
        }
        if (relu6) {
            for (int i = from; i < end; i++) {
                output[i] = Math.min(Math.max(output[i], 0f), RELU6_MAX);
            }
        }
    }
}
