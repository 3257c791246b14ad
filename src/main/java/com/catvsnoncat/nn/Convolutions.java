package com.catvsnoncat.nn;

/**
 * The float32 kernels of the feature extractor in NHWC layout, one array per pixel (pixel (y, x) of picture i is
 * row {@code i * side * side + y * side + x}, holding its channels), so a batch of pictures is one taller tensor.
 * Batch normalisation is already folded into the weights and biases, and the activation (ReLU6) and the residual
 * add are applied in each kernel's output loop, so every tensor is written once. The innermost loops run over the
 * channels of whole rows, which the JIT vectorises. {@link VectorConvolutions} does the same faster; these are
 * the reference it is tested against and the path without the Vector API.
 */
final class Convolutions {
    static final float RELU6_MAX = 6f;

    private Convolutions() {
    }

    /**
     * A 1x1 convolution: the matrix product of the pixels by the {@code in x out} weights, one pixel at a time, four
     * input channels per pass over the pixel's outputs. Every operand of the inner loop is a whole row indexed by
     * the output channel alone, the form the JIT vectorises (one store stream; several rows written in one loop, or
     * rows at unknown offsets in one array, are not vectorised). The residual and ReLU6 follow on the same row while
     * it is in cache.
     *
     * @param pixels   how many rows of {@code input} to convolve (a reused tensor may have more)
     * @param weights  {@code in} rows of {@code out} values
     * @param residual null, or a tensor of the output's shape added after the bias (the projections that end a
     *                 residual block are linear, so no activation follows it)
     */
    static void pointwise(float[][] input, int pixels, float[][] weights, float[] bias, boolean relu6,
                          float[][] residual, float[][] output) {
        int in = weights.length;
        int out = bias.length;
        for (int p = 0; p < pixels; p++) {
            float[] x = input[p];
            float[] o = output[p];
            System.arraycopy(bias, 0, o, 0, out);
            int k = 0;
            for (; k + 4 <= in; k += 4) {
                float a0 = x[k];
                float a1 = x[k + 1];
                float a2 = x[k + 2];
                float a3 = x[k + 3];
                float[] w0 = weights[k];
                float[] w1 = weights[k + 1];
                float[] w2 = weights[k + 2];
                float[] w3 = weights[k + 3];
                for (int c = 0; c < out; c++) {
                    o[c] += a0 * w0[c] + a1 * w1[c] + a2 * w2[c] + a3 * w3[c];
                }
            }
            for (; k < in; k++) {
                float a = x[k];
                float[] w = weights[k];
                for (int c = 0; c < out; c++) {
                    o[c] += a * w[c];
                }
            }
            finish(o, relu6, residual == null ? null : residual[p]);
        }
    }

    /**
     * A 3x3 depthwise convolution of one picture (rows {@code [inputBase, inputBase + side * side)} of the input
     * into rows from {@code outputBase} of the output) with zero padding {@code padTop}/{@code padLeft} (the bottom
     * and right padding follow from the output size) and the given stride. Memory-bound: when the window lies
     * inside the picture, an output pixel's channels are computed in one pass over its nine input rows; at the
     * border, tap by tap.
     *
     * @param weights 9 rows (tap (ky, kx) at ky * 3 + kx) of one value per channel
     */
    static void depthwise(float[][] input, int inputBase, int side, float[][] weights, float[] bias, int stride,
                          int padTop, int padLeft, int outSide, boolean relu6, float[][] output, int outputBase) {
        int channels = bias.length;
        float[] w0 = weights[0];
        float[] w1 = weights[1];
        float[] w2 = weights[2];
        float[] w3 = weights[3];
        float[] w4 = weights[4];
        float[] w5 = weights[5];
        float[] w6 = weights[6];
        float[] w7 = weights[7];
        float[] w8 = weights[8];
        for (int oy = 0; oy < outSide; oy++) {
            int top = oy * stride - padTop;
            for (int ox = 0; ox < outSide; ox++) {
                int left = ox * stride - padLeft;
                float[] o = output[outputBase + oy * outSide + ox];
                if (top >= 0 && top + 2 < side && left >= 0 && left + 2 < side) {
                    int r = inputBase + top * side + left;
                    float[] x0 = input[r];
                    float[] x1 = input[r + 1];
                    float[] x2 = input[r + 2];
                    float[] x3 = input[r + side];
                    float[] x4 = input[r + side + 1];
                    float[] x5 = input[r + side + 2];
                    float[] x6 = input[r + 2 * side];
                    float[] x7 = input[r + 2 * side + 1];
                    float[] x8 = input[r + 2 * side + 2];
                    for (int c = 0; c < channels; c++) {
                        o[c] = bias[c] + x0[c] * w0[c] + x1[c] * w1[c] + x2[c] * w2[c] + x3[c] * w3[c]
                                + x4[c] * w4[c] + x5[c] * w5[c] + x6[c] * w6[c] + x7[c] * w7[c] + x8[c] * w8[c];
                    }
                } else {
                    System.arraycopy(bias, 0, o, 0, channels);
                    for (int ky = 0; ky < 3; ky++) {
                        int iy = top + ky;
                        if (iy < 0 || iy >= side) {
                            continue;
                        }
                        for (int kx = 0; kx < 3; kx++) {
                            int ix = left + kx;
                            if (ix < 0 || ix >= side) {
                                continue;
                            }
                            float[] x = input[inputBase + iy * side + ix];
                            float[] w = weights[ky * 3 + kx];
                            for (int c = 0; c < channels; c++) {
                                o[c] += x[c] * w[c];
                            }
                        }
                    }
                }
                finish(o, relu6, null);
            }
        }
    }

    /**
     * The 3x3 windows of a picture's pixels for output rows {@code [fromRow, toRow)}, one row per output pixel (rows
     * from {@code base}), for a full 3x3 convolution (the stem, on the picture's few channels) as a 1x1 convolution
     * of the windows: the (ky, kx, in) order of a Keras Conv2D kernel, zeros where the window leaves the picture.
     *
     * @param picture side x side x in values in NHWC order
     */
    static void windows(float[] picture, int side, int in, int stride, int padTop, int padLeft, int outSide,
                        int fromRow, int toRow, float[][] windows, int base) {
        int span = 3 * in; // a window row: three neighbouring pixels, contiguous in the picture
        for (int oy = fromRow; oy < toRow; oy++) {
            for (int ox = 0; ox < outSide; ox++) {
                float[] window = windows[base + (oy - fromRow) * outSide + ox];
                int left = ox * stride - padLeft;
                for (int ky = 0; ky < 3; ky++) {
                    int iy = oy * stride + ky - padTop;
                    int tap = ky * span;
                    if (iy >= 0 && iy < side && left >= 0 && left + 2 < side) {
                        // A loop rather than arraycopy: 9 values are too few to pay for a call.
                        int from = (iy * side + left) * in;
                        for (int i = 0; i < span; i++) {
                            window[tap + i] = picture[from + i];
                        }
                        continue;
                    }
                    for (int kx = 0; kx < 3; kx++) {
                        int ix = left + kx;
                        boolean inside = iy >= 0 && iy < side && ix >= 0 && ix < side;
                        int from = (iy * side + ix) * in;
                        for (int c = 0; c < in; c++) {
                            window[tap + kx * in + c] = inside ? picture[from + c] : 0f;
                        }
                    }
                }
            }
        }
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

    /** The mean of every channel over rows {@code [from, from + pixels)}, summed in double. */
    static double[] averagePool(float[][] input, int from, int pixels, int channels) {
        double[] sums = new double[channels];
        for (int p = from; p < from + pixels; p++) {
            float[] pixel = input[p];
            for (int c = 0; c < channels; c++) {
                sums[c] += pixel[c];
            }
        }
        for (int c = 0; c < channels; c++) {
            sums[c] /= pixels;
        }
        return sums;
    }

    /**
     * Bilinear resize with aligned corners (the corner pixels of input and output coincide), as TensorFlow's
     * {@code resizeBilinear(..., alignCorners=true)} computes it, into {@code output}.
     *
     * @param alongX scratch of at least {@code side * newSide * channels} values (the rows resized along x)
     * @param output {@code newSide * newSide * channels} values
     */
    static void resizeAlignedCorners(float[] input, int side, int channels, int newSide, double[] alongX,
                                     float[] output) {
        if (newSide == side) {
            System.arraycopy(input, 0, output, 0, input.length);
            return;
        }
        Samples axis = Samples.alignedCorners(side, newSide);
        // Separable, with the same arithmetic as interpolating each output from its four sources: every input row
        // interpolated along x once (in double), then each output row is two of those rows mixed along y, a loop
        // over a whole row that the JIT vectorises. A value's four-source formula would redo the x step per output
        // row and run 3 values at a time.
        int inRow = side * channels;
        int outRow = newSide * channels;
        for (int y = 0; y < side; y++) {
            int from = y * inRow;
            int to = y * outRow;
            for (int x = 0; x < newSide; x++) {
                int left = from + axis.low[x] * channels;
                int right = from + axis.high[x] * channels;
                double fx = axis.fraction[x];
                for (int c = 0; c < channels; c++) {
                    double l = input[left + c];
                    alongX[to + x * channels + c] = l + (input[right + c] - l) * fx;
                }
            }
        }
        for (int y = 0; y < newSide; y++) {
            int upper = axis.low[y] * outRow;
            int lower = axis.high[y] * outRow;
            double fy = axis.fraction[y];
            int o = y * outRow;
            for (int i = 0; i < outRow; i++) {
                double u = alongX[upper + i];
                output[o + i] = (float) (u + (alongX[lower + i] - u) * fy);
            }
        }
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

    /** The residual add and ReLU6 on one pixel's outputs. */
    private static void finish(float[] output, boolean relu6, float[] residual) {
        if (residual != null) {
            for (int c = 0; c < output.length; c++) {
                output[c] += residual[c];
            }
        }
        if (relu6) {
            for (int c = 0; c < output.length; c++) {
                output[c] = Math.min(Math.max(output[c], 0f), RELU6_MAX);
            }
        }
    }
}
