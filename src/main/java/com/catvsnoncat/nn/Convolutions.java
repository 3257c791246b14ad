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
     * A 1x1 convolution: the matrix product of the pixels (rows) by the {@code in x out} weights, four pixels at a
     * time so each weight row is loaded once per four output rows.
     *
     * @param residual null, or a tensor of the output's shape added after the bias (before no activation: the
     *                 projections that end a residual block are linear)
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
            for (int k = 0; k < in; k++) {
                float a0 = input[i0 + k];
                float a1 = input[i0 + in + k];
                float a2 = input[i0 + 2 * in + k];
                float a3 = input[i0 + 3 * in + k];
                int w = k * out;
                for (int c = 0; c < out; c++) {
                    float wc = weights[w + c];
                    output[o0 + c] += a0 * wc;
                    output[o1 + c] += a1 * wc;
                    output[o2 + c] += a2 * wc;
                    output[o3 + c] += a3 * wc;
                }
            }
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
        }
        finish(output, pixels * out, relu6, residual);
    }

    /**
     * A 3x3 depthwise convolution with zero padding {@code padTop}/{@code padLeft} (the bottom and right padding
     * follow from the output size) and the given stride.
     *
     * @param weights 9 x channels, tap (ky, kx) at row ky * 3 + kx
     */
    static void depthwise(float[] input, int height, int width, int channels, float[] weights, float[] bias,
                          int stride, int padTop, int padLeft, int outHeight, int outWidth, boolean relu6,
                          float[] output) {
        for (int oy = 0; oy < outHeight; oy++) {
            for (int ox = 0; ox < outWidth; ox++) {
                int o = (oy * outWidth + ox) * channels;
                System.arraycopy(bias, 0, output, o, channels);
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
                        int i = (iy * width + ix) * channels;
                        int w = (ky * 3 + kx) * channels;
                        for (int c = 0; c < channels; c++) {
                            output[o + c] += input[i + c] * weights[w + c];
                        }
                    }
                }
            }
        }
        finish(output, outHeight * outWidth * channels, relu6, null);
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
        finish(output, outHeight * outWidth * out, relu6, null);
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

    /** The transpose of {@link #resizeAlignedCorners}: each output's gradient goes back to its four sources. */
    static double[] resizeAlignedCornersTransposed(double[] outputGradient, int newSide, int channels, int side) {
        if (newSide == side) {
            return outputGradient.clone();
        }
        double[] gradient = new double[side * side * channels];
        double ratio = newSide > 1 ? (side - 1) / (double) (newSide - 1) : 0;
        for (int y = 0; y < newSide; y++) {
            double sy = ratio * y;
            int top = (int) Math.floor(sy);
            int bottom = Math.min(side - 1, (int) Math.ceil(sy));
            double fy = sy - top;
            for (int x = 0; x < newSide; x++) {
                double sx = ratio * x;
                int left = (int) Math.floor(sx);
                int right = Math.min(side - 1, (int) Math.ceil(sx));
                double fx = sx - left;
                int o = (y * newSide + x) * channels;
                for (int c = 0; c < channels; c++) {
                    double g = outputGradient[o + c];
                    gradient[(top * side + left) * channels + c] += g * (1 - fy) * (1 - fx);
                    gradient[(top * side + right) * channels + c] += g * (1 - fy) * fx;
                    gradient[(bottom * side + left) * channels + c] += g * fy * (1 - fx);
                    gradient[(bottom * side + right) * channels + c] += g * fy * fx;
                }
            }
        }
        return gradient;
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
        float[] output = new float[newSide * newSide * channels];
        double ratio = newSide > 1 ? (side - 1) / (double) (newSide - 1) : 0;
        for (int y = 0; y < newSide; y++) {
            double sy = ratio * y;
            int top = (int) Math.floor(sy);
            int bottom = Math.min(side - 1, (int) Math.ceil(sy));
            double fy = sy - top;
            for (int x = 0; x < newSide; x++) {
                double sx = ratio * x;
                int left = (int) Math.floor(sx);
                int right = Math.min(side - 1, (int) Math.ceil(sx));
                double fx = sx - left;
                int o = (y * newSide + x) * channels;
                for (int c = 0; c < channels; c++) {
                    double topLeft = input[(top * side + left) * channels + c];
                    double topRight = input[(top * side + right) * channels + c];
                    double bottomLeft = input[(bottom * side + left) * channels + c];
                    double bottomRight = input[(bottom * side + right) * channels + c];
                    double upper = topLeft + (topRight - topLeft) * fx;
                    double lower = bottomLeft + (bottomRight - bottomLeft) * fx;
                    output[o + c] = (float) (upper + (lower - upper) * fy);
                }
            }
        }
        return output;
    }

    private static void finish(float[] output, int length, boolean relu6, float[] residual) {
        if (residual != null) {
            for (int i = 0; i < length; i++) {
                output[i] += residual[i];
            }
        }
        if (relu6) {
            for (int i = 0; i < length; i++) {
                output[i] = Math.min(Math.max(output[i], 0f), RELU6_MAX);
            }
        }
    }
}
