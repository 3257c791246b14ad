package com.catvsnoncat.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast kernels of the feature extractor, written with the incubating Vector API: the same operations and
 * tensor layout as {@link Convolutions} (one row of channels per pixel), which stays the reference they are tested
 * against and the path used when the JVM runs without {@code --add-modules jdk.incubator.vector}.
 *
 * <p>Why not the JIT's own vectorisation: it only vectorises an inner loop over one row, so a 1x1 convolution
 * reloads and stores its output row for every few input channels, and the narrow outputs (16 to 96 channels) are
 * too short a loop for its unrolled vector body. Here a 1x1 convolution keeps a block of outputs (4 pixels x 4
 * vectors of channels, 8 pixels x 2 vectors, or 8 pixels x 1 vector) in registers through the whole sum over the
 * input channels, as a matrix product's inner kernel does: 2 to 6 times faster per layer.
 *
 * <p>Vectors are 16 floats (512 bits) where the CPU has them in hardware (AVX-512: twice the multiply-adds per
 * instruction, which is what onnxruntime uses on such a CPU), else 8 (256 bits); one width only in a JVM, since
 * C2 stops turning some vector operations into instructions once both widths have gone through them. The channels
 * a 1x1 convolution leaves over (e.g. 8 of 24 with 16-float vectors) are padded with zero weights to a whole
 * vector and stored whole: every row the kernels write is {@link #rowLength} long, so that a padded vector goes
 * to the row in one store instead of through a copy of its lanes (an array a pixel). A
 * vector's width does not change a result: each output is its bias plus the inputs' products in the same order,
 * one fused multiply-add at a time, whatever the lanes.
 * Every helper that handles vectors is small or called once per block, so that C2 inlines it: a vector that
 * crosses a call that is not inlined is boxed, which costs more than the work.
 */
final class VectorConvolutions {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    private static final int LANES = SPECIES.length();
    /** Output channels of the wide 1x1 kernels: four vectors; and of the pair kernels: two. */
    private static final int WIDE = 4 * LANES;
    private static final int PAIR = 2 * LANES;
    private static final FloatVector ZERO = FloatVector.zero(SPECIES);
    private static final FloatVector SIX = FloatVector.broadcast(SPECIES, Convolutions.RELU6_MAX);
    private static final FloatVector NO_MIN = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
    private static final FloatVector NO_MAX = FloatVector.broadcast(SPECIES, Float.POSITIVE_INFINITY);

    private VectorConvolutions() {
    }

    /**
     * Whether this CPU runs 256-bit float vectors in hardware; on a narrower one the Vector API falls back to
     * Java code far slower than the scalar kernels.
     */
    static boolean supported() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= FloatVector.SPECIES_256.vectorBitSize();
    }

    /** The length of a row into which the 1x1 kernels write {@code channels} channels: whole vectors. */
    static int rowLength(int channels) {
        return (channels + LANES - 1) / LANES * LANES;
    }

    /**
     * The weights of a 1x1 convolution ({@code in} rows of {@code out} values) as the kernels read them, in panels
     * of output channels: blocks of 4 vectors, then of 2, then one, each panel's {@code in x width} values
     * contiguous. The channels are first rounded up to whole vectors ({@link #rowLength}), the added ones with zero
     * weights, so the last panel may be partly padding; after the panels, the bias padded the same way.
     */
    static float[] pack(float[] weights, float[] bias, int in, int out) {
        int length = rowLength(out);
        float[] packed = new float[(in + 1) * length];
        int at = 0;
        int c = 0;
        for (; c + WIDE <= length; c += WIDE) {
            at = packPanel(weights, in, out, c, WIDE, packed, at);
        }
        for (; c + PAIR <= length; c += PAIR) {
            at = packPanel(weights, in, out, c, PAIR, packed, at);
        }
        for (; c < length; c += LANES) {
            at = packPanel(weights, in, out, c, LANES, packed, at);
        }
        System.arraycopy(bias, 0, packed, at, out);
        return packed;
    }

    /** Channels {@code [c, c + width)} of every row (those beyond {@code out} left zero). */
    private static int packPanel(float[] weights, int in, int out, int c, int width, float[] packed, int at) {
        int channels = Math.min(width, out - c);
        for (int k = 0; k < in; k++) {
            System.arraycopy(weights, k * out + c, packed, at + k * width, channels);
        }
        return at + in * width;
    }

    /**
     * A 1x1 convolution of rows {@code [inputBase, inputBase + pixels)} of {@code input} into rows from
     * {@code outputBase} of {@code output}, with bias, residual add and ReLU6.
     *
     * @param packed   the weights and bias as {@link #pack} lays them out
     * @param residual null, or rows of the output's shape added after the bias (at the output's rows)
     * @param output   rows of at least {@link #rowLength rowLength(out)} values
     */
    static void pointwise(float[][] input, int inputBase, int pixels, int in, int out, float[] packed,
                          boolean relu6, float[][] residual, float[][] output, int outputBase) {
        int length = rowLength(out);
        int wide = length - length % WIDE;
        int pairs = wide + (length - wide) / PAIR * PAIR;
        int bias = in * length;
        // Pixels outermost: a block of 8 pixels' inputs stays in L1 while every weight panel (at most 147 KB,
        // in L2) passes over it, and each output row is written whole, once.
        int p = 0;
        for (; p + 8 <= pixels; p += 8) {
            int panel = 0;
            int c = 0;
            for (; c < wide; c += WIDE, panel += in * WIDE) {
                wide4(input, inputBase + p, in, packed, panel, bias + c, c, relu6, output, outputBase + p);
                wide4(input, inputBase + p + 4, in, packed, panel, bias + c, c, relu6, output, outputBase + p + 4);
            }
            for (; c < pairs; c += PAIR, panel += in * PAIR) {
                pair8(input, inputBase + p, in, packed, panel, bias + c, c, relu6, output, outputBase + p);
            }
            if (c < length) {
                narrow8(input, inputBase + p, in, packed, panel, bias + c, c, relu6, output, outputBase + p);
            }
            addResidual(output, outputBase + p, 8, out, residual);
        }
        // Rows of 4 to 12 pixels (the late layers' rows) leave 4 often enough to keep it in the wide kernel.
        for (; p + 4 <= pixels; p += 4) {
            int panel = 0;
            int c = 0;
            for (; c < wide; c += WIDE, panel += in * WIDE) {
                wide4(input, inputBase + p, in, packed, panel, bias + c, c, relu6, output, outputBase + p);
            }
            for (; c < pairs; c += PAIR, panel += in * PAIR) {
                pair4(input, inputBase + p, in, packed, panel, bias + c, c, relu6, output, outputBase + p);
            }
            for (int i = p; c < length && i < p + 4; i++) {
                narrow1(input[inputBase + i], in, packed, panel, bias + c, c, relu6, output[outputBase + i]);
            }
            addResidual(output, outputBase + p, 4, out, residual);
        }
        for (; p < pixels; p++) {
            int panel = 0;
            int c = 0;
            for (; c < wide; c += WIDE, panel += in * WIDE) {
                wide1(input[inputBase + p], in, packed, panel, bias + c, c, relu6, output[outputBase + p]);
            }
            rest1(input[inputBase + p], in, packed, panel, bias, c, pairs, length, relu6, output[outputBase + p]);
            addResidual(output, outputBase + p, 1, out, residual);
        }
    }

    /** One pixel's channels from {@code c} on: the panels of two vectors (up to {@code pairs}), then of one. */
    private static void rest1(float[] x, int in, float[] packed, int panel, int bias, int c, int pairs, int length,
                              boolean relu6, float[] o) {
        for (; c < pairs; c += PAIR, panel += in * PAIR) {
            pair1(x, in, packed, panel, bias + c, c, relu6, o);
        }
        if (c < length) {
            narrow1(x, in, packed, panel, bias + c, c, relu6, o);
        }
    }

    /*
     * The kernels below index the weights as panel + k * width (an expression of the loop's counter, whose bounds
     * checks C2 can take out of the loop) and read the bias from the packed weights at biasAt.
     */

    /** 4 pixels x 4 vectors of channels: 16 accumulators, 4 weight loads and 4 broadcasts per 16 multiply-adds. */
    private static void wide4(float[][] input, int p, int in, float[] packed, int panel, int biasAt, int c,
                              boolean relu6, float[][] output, int q) {
        FloatVector low = relu6 ? ZERO : NO_MIN;
        FloatVector high = relu6 ? SIX : NO_MAX;
        float[] x0 = input[p];
        float[] x1 = input[p + 1];
        float[] x2 = input[p + 2];
        float[] x3 = input[p + 3];
        FloatVector b0 = FloatVector.fromArray(SPECIES, packed, biasAt);
        FloatVector b1 = FloatVector.fromArray(SPECIES, packed, biasAt + LANES);
        FloatVector b2 = FloatVector.fromArray(SPECIES, packed, biasAt + 2 * LANES);
        FloatVector b3 = FloatVector.fromArray(SPECIES, packed, biasAt + 3 * LANES);
        FloatVector a00 = b0, a01 = b1, a02 = b2, a03 = b3;
        FloatVector a10 = b0, a11 = b1, a12 = b2, a13 = b3;
        FloatVector a20 = b0, a21 = b1, a22 = b2, a23 = b3;
        FloatVector a30 = b0, a31 = b1, a32 = b2, a33 = b3;
        for (int k = 0; k < in; k++) {
            int w = panel + k * WIDE;
            FloatVector w0 = FloatVector.fromArray(SPECIES, packed, w);
            FloatVector w1 = FloatVector.fromArray(SPECIES, packed, w + LANES);
            FloatVector w2 = FloatVector.fromArray(SPECIES, packed, w + 2 * LANES);
            FloatVector w3 = FloatVector.fromArray(SPECIES, packed, w + 3 * LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, x0[k]);
            a00 = x.fma(w0, a00);
            a01 = x.fma(w1, a01);
            a02 = x.fma(w2, a02);
            a03 = x.fma(w3, a03);
            x = FloatVector.broadcast(SPECIES, x1[k]);
            a10 = x.fma(w0, a10);
            a11 = x.fma(w1, a11);
            a12 = x.fma(w2, a12);
            a13 = x.fma(w3, a13);
            x = FloatVector.broadcast(SPECIES, x2[k]);
            a20 = x.fma(w0, a20);
            a21 = x.fma(w1, a21);
            a22 = x.fma(w2, a22);
            a23 = x.fma(w3, a23);
            x = FloatVector.broadcast(SPECIES, x3[k]);
            a30 = x.fma(w0, a30);
            a31 = x.fma(w1, a31);
            a32 = x.fma(w2, a32);
            a33 = x.fma(w3, a33);
        }
        float[] o = output[q];
        a00.max(low).min(high).intoArray(o, c);
        a01.max(low).min(high).intoArray(o, c + LANES);
        a02.max(low).min(high).intoArray(o, c + 2 * LANES);
        a03.max(low).min(high).intoArray(o, c + 3 * LANES);
        o = output[q + 1];
        a10.max(low).min(high).intoArray(o, c);
        a11.max(low).min(high).intoArray(o, c + LANES);
        a12.max(low).min(high).intoArray(o, c + 2 * LANES);
        a13.max(low).min(high).intoArray(o, c + 3 * LANES);
        o = output[q + 2];
        a20.max(low).min(high).intoArray(o, c);
        a21.max(low).min(high).intoArray(o, c + LANES);
        a22.max(low).min(high).intoArray(o, c + 2 * LANES);
        a23.max(low).min(high).intoArray(o, c + 3 * LANES);
        o = output[q + 3];
        a30.max(low).min(high).intoArray(o, c);
        a31.max(low).min(high).intoArray(o, c + LANES);
        a32.max(low).min(high).intoArray(o, c + 2 * LANES);
        a33.max(low).min(high).intoArray(o, c + 3 * LANES);
    }

    private static void wide1(float[] x, int in, float[] packed, int panel, int biasAt, int c, boolean relu6,
                              float[] o) {
        FloatVector low = relu6 ? ZERO : NO_MIN;
        FloatVector high = relu6 ? SIX : NO_MAX;
        FloatVector a0 = FloatVector.fromArray(SPECIES, packed, biasAt);
        FloatVector a1 = FloatVector.fromArray(SPECIES, packed, biasAt + LANES);
        FloatVector a2 = FloatVector.fromArray(SPECIES, packed, biasAt + 2 * LANES);
        FloatVector a3 = FloatVector.fromArray(SPECIES, packed, biasAt + 3 * LANES);
        for (int k = 0; k < in; k++) {
            int w = panel + k * WIDE;
            FloatVector v = FloatVector.broadcast(SPECIES, x[k]);
            a0 = v.fma(FloatVector.fromArray(SPECIES, packed, w), a0);
            a1 = v.fma(FloatVector.fromArray(SPECIES, packed, w + LANES), a1);
            a2 = v.fma(FloatVector.fromArray(SPECIES, packed, w + 2 * LANES), a2);
            a3 = v.fma(FloatVector.fromArray(SPECIES, packed, w + 3 * LANES), a3);
        }
        a0.max(low).min(high).intoArray(o, c);
        a1.max(low).min(high).intoArray(o, c + LANES);
        a2.max(low).min(high).intoArray(o, c + 2 * LANES);
        a3.max(low).min(high).intoArray(o, c + 3 * LANES);
    }

    /**
     * 8 pixels x 2 vectors of channels (e.g. 32 channels, or 24 and 8 of padding, with 16-float vectors): 16
     * accumulators, 2 weight loads and 8 broadcasts per 16 multiply-adds, where two passes of the one-vector
     * kernel broadcast every input twice.
     */
    private static void pair8(float[][] input, int p, int in, float[] packed, int panel, int biasAt, int c,
                              boolean relu6, float[][] output, int q) {
        FloatVector low = relu6 ? ZERO : NO_MIN;
        FloatVector high = relu6 ? SIX : NO_MAX;
        float[] x0 = input[p];
        float[] x1 = input[p + 1];
        float[] x2 = input[p + 2];
        float[] x3 = input[p + 3];
        float[] x4 = input[p + 4];
        float[] x5 = input[p + 5];
        float[] x6 = input[p + 6];
        float[] x7 = input[p + 7];
        FloatVector b = FloatVector.fromArray(SPECIES, packed, biasAt);
        FloatVector e = FloatVector.fromArray(SPECIES, packed, biasAt + LANES);
        FloatVector a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
        FloatVector e0 = e, e1 = e, e2 = e, e3 = e, e4 = e, e5 = e, e6 = e, e7 = e;
        for (int k = 0; k < in; k++) {
            int w = panel + k * PAIR;
            FloatVector v = FloatVector.fromArray(SPECIES, packed, w);
            FloatVector u = FloatVector.fromArray(SPECIES, packed, w + LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, x0[k]);
            a0 = x.fma(v, a0);
            e0 = x.fma(u, e0);
            x = FloatVector.broadcast(SPECIES, x1[k]);
            a1 = x.fma(v, a1);
            e1 = x.fma(u, e1);
            x = FloatVector.broadcast(SPECIES, x2[k]);
            a2 = x.fma(v, a2);
            e2 = x.fma(u, e2);
            x = FloatVector.broadcast(SPECIES, x3[k]);
            a3 = x.fma(v, a3);
            e3 = x.fma(u, e3);
            x = FloatVector.broadcast(SPECIES, x4[k]);
            a4 = x.fma(v, a4);
            e4 = x.fma(u, e4);
            x = FloatVector.broadcast(SPECIES, x5[k]);
            a5 = x.fma(v, a5);
            e5 = x.fma(u, e5);
            x = FloatVector.broadcast(SPECIES, x6[k]);
            a6 = x.fma(v, a6);
            e6 = x.fma(u, e6);
            x = FloatVector.broadcast(SPECIES, x7[k]);
            a7 = x.fma(v, a7);
            e7 = x.fma(u, e7);
        }
        int d = c + LANES;
        a0.max(low).min(high).intoArray(output[q], c);
        e0.max(low).min(high).intoArray(output[q], d);
        a1.max(low).min(high).intoArray(output[q + 1], c);
        e1.max(low).min(high).intoArray(output[q + 1], d);
        a2.max(low).min(high).intoArray(output[q + 2], c);
        e2.max(low).min(high).intoArray(output[q + 2], d);
        a3.max(low).min(high).intoArray(output[q + 3], c);
        e3.max(low).min(high).intoArray(output[q + 3], d);
        a4.max(low).min(high).intoArray(output[q + 4], c);
        e4.max(low).min(high).intoArray(output[q + 4], d);
        a5.max(low).min(high).intoArray(output[q + 5], c);
        e5.max(low).min(high).intoArray(output[q + 5], d);
        a6.max(low).min(high).intoArray(output[q + 6], c);
        e6.max(low).min(high).intoArray(output[q + 6], d);
        a7.max(low).min(high).intoArray(output[q + 7], c);
        e7.max(low).min(high).intoArray(output[q + 7], d);
    }

    /** 4 pixels x 2 vectors: the rows of 12 and the 6x6 layers at 96x96 leave 4 pixels over the 8 of pair8. */
    private static void pair4(float[][] input, int p, int in, float[] packed, int panel, int biasAt, int c,
                              boolean relu6, float[][] output, int q) {
        FloatVector low = relu6 ? ZERO : NO_MIN;
        FloatVector high = relu6 ? SIX : NO_MAX;
        float[] x0 = input[p];
        float[] x1 = input[p + 1];
        float[] x2 = input[p + 2];
        float[] x3 = input[p + 3];
        FloatVector b = FloatVector.fromArray(SPECIES, packed, biasAt);
        FloatVector e = FloatVector.fromArray(SPECIES, packed, biasAt + LANES);
        FloatVector a0 = b, a1 = b, a2 = b, a3 = b;
        FloatVector e0 = e, e1 = e, e2 = e, e3 = e;
        for (int k = 0; k < in; k++) {
            int w = panel + k * PAIR;
            FloatVector v = FloatVector.fromArray(SPECIES, packed, w);
            FloatVector u = FloatVector.fromArray(SPECIES, packed, w + LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, x0[k]);
            a0 = x.fma(v, a0);
            e0 = x.fma(u, e0);
            x = FloatVector.broadcast(SPECIES, x1[k]);
            a1 = x.fma(v, a1);
            e1 = x.fma(u, e1);
            x = FloatVector.broadcast(SPECIES, x2[k]);
            a2 = x.fma(v, a2);
            e2 = x.fma(u, e2);
            x = FloatVector.broadcast(SPECIES, x3[k]);
            a3 = x.fma(v, a3);
            e3 = x.fma(u, e3);
        }
        int d = c + LANES;
        a0.max(low).min(high).intoArray(output[q], c);
        e0.max(low).min(high).intoArray(output[q], d);
        a1.max(low).min(high).intoArray(output[q + 1], c);
        e1.max(low).min(high).intoArray(output[q + 1], d);
        a2.max(low).min(high).intoArray(output[q + 2], c);
        e2.max(low).min(high).intoArray(output[q + 2], d);
        a3.max(low).min(high).intoArray(output[q + 3], c);
        e3.max(low).min(high).intoArray(output[q + 3], d);
    }

    private static void pair1(float[] x, int in, float[] packed, int panel, int biasAt, int c, boolean relu6,
                              float[] o) {
        FloatVector low = relu6 ? ZERO : NO_MIN;
        FloatVector high = relu6 ? SIX : NO_MAX;
        FloatVector a = FloatVector.fromArray(SPECIES, packed, biasAt);
        FloatVector e = FloatVector.fromArray(SPECIES, packed, biasAt + LANES);
        for (int k = 0; k < in; k++) {
            int w = panel + k * PAIR;
            FloatVector v = FloatVector.broadcast(SPECIES, x[k]);
            a = v.fma(FloatVector.fromArray(SPECIES, packed, w), a);
            e = v.fma(FloatVector.fromArray(SPECIES, packed, w + LANES), e);
        }
        a.max(low).min(high).intoArray(o, c);
        e.max(low).min(high).intoArray(o, c + LANES);
    }

    /** 8 pixels x one vector of channels: the last vector of a layer with an odd number of them (e.g. 16). */
    private static void narrow8(float[][] input, int p, int in, float[] packed, int panel, int biasAt, int c,
                                boolean relu6, float[][] output, int q) {
        FloatVector low = relu6 ? ZERO : NO_MIN;
        FloatVector high = relu6 ? SIX : NO_MAX;
        float[] x0 = input[p];
        float[] x1 = input[p + 1];
        float[] x2 = input[p + 2];
        float[] x3 = input[p + 3];
        float[] x4 = input[p + 4];
        float[] x5 = input[p + 5];
        float[] x6 = input[p + 6];
        float[] x7 = input[p + 7];
        FloatVector b = FloatVector.fromArray(SPECIES, packed, biasAt);
        FloatVector a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
        for (int k = 0; k < in; k++) {
            FloatVector v = FloatVector.fromArray(SPECIES, packed, panel + k * LANES);
            a0 = FloatVector.broadcast(SPECIES, x0[k]).fma(v, a0);
            a1 = FloatVector.broadcast(SPECIES, x1[k]).fma(v, a1);
            a2 = FloatVector.broadcast(SPECIES, x2[k]).fma(v, a2);
            a3 = FloatVector.broadcast(SPECIES, x3[k]).fma(v, a3);
            a4 = FloatVector.broadcast(SPECIES, x4[k]).fma(v, a4);
            a5 = FloatVector.broadcast(SPECIES, x5[k]).fma(v, a5);
            a6 = FloatVector.broadcast(SPECIES, x6[k]).fma(v, a6);
            a7 = FloatVector.broadcast(SPECIES, x7[k]).fma(v, a7);
        }
        a0.max(low).min(high).intoArray(output[q], c);
        a1.max(low).min(high).intoArray(output[q + 1], c);
        a2.max(low).min(high).intoArray(output[q + 2], c);
        a3.max(low).min(high).intoArray(output[q + 3], c);
        a4.max(low).min(high).intoArray(output[q + 4], c);
        a5.max(low).min(high).intoArray(output[q + 5], c);
        a6.max(low).min(high).intoArray(output[q + 6], c);
        a7.max(low).min(high).intoArray(output[q + 7], c);
    }

    private static void narrow1(float[] x, int in, float[] packed, int panel, int biasAt, int c, boolean relu6,
                                float[] o) {
        FloatVector low = relu6 ? ZERO : NO_MIN;
        FloatVector high = relu6 ? SIX : NO_MAX;
        FloatVector a = FloatVector.fromArray(SPECIES, packed, biasAt);
        for (int k = 0; k < in; k++) {
            a = FloatVector.broadcast(SPECIES, x[k]).fma(FloatVector.fromArray(SPECIES, packed, panel + k * LANES), a);
        }
        a.max(low).min(high).intoArray(o, c);
    }

    /**
     * The residual add on the {@code channels} channels of {@code rows} rows from {@code from}, while they are in
     * cache.
     * (Only the linear projections that end a block have one; the ReLU6 of the others is applied as the kernels
     * store.)
     */
    private static void addResidual(float[][] output, int from, int rows, int channels, float[][] residual) {
        if (residual == null) {
            return;
        }
        for (int p = from; p < from + rows; p++) {
            float[] o = output[p];
            float[] r = residual[p];
            for (int i = 0; i < channels; i++) {
                o[i] += r[i];
            }
        }
    }

    /**
     * A 3x3 depthwise convolution of one picture (rows {@code [inputBase, inputBase + side * side)} of the input
     * into rows from {@code outputBase} of the output) with zero padding and the given stride, ReLU6 fused. The
     * padding costs nothing: the kernel reads a padded view of the rows in which every pixel outside the picture
     * is one shared row of zeros, so every window is whole and there is no border case. Channels go one vector at
     * a time, its 9 weight vectors held in registers across the picture.
     *
     * @param weights 9 rows (tap (ky, kx) at ky * 3 + kx) of one value per channel
     */
    static void depthwise(float[][] input, int inputBase, int side, float[][] weights, float[] bias, int stride,
                          int padTop, int padLeft, int outSide, boolean relu6, float[][] output, int outputBase) {
        int channels = bias.length;
        int paddedSide = (outSide - 1) * stride + 3; // what the last window reaches
        float[] zeros = new float[channels];
        float[][] padded = new float[paddedSide * paddedSide][];
        for (int y = 0; y < paddedSide; y++) {
            int iy = y - padTop;
            for (int x = 0; x < paddedSide; x++) {
                int ix = x - padLeft;
                boolean inside = iy >= 0 && iy < side && ix >= 0 && ix < side;
                padded[y * paddedSide + x] = inside ? input[inputBase + iy * side + ix] : zeros;
            }
        }
        depthwise(padded, paddedSide, weights, bias, stride, outSide, outSide, relu6, output, outputBase);
    }

    /**
     * A 3x3 depthwise convolution over a padded view: {@code outRows x outColumns} windows of the rows of
     * {@code padded} ({@code paddedWidth} rows of channels per picture row, every window whole), into rows from
     * {@code outputBase} of {@code output}.
     */
    static void depthwise(float[][] padded, int paddedWidth, float[][] weights, float[] bias, int stride,
                          int outRows, int outColumns, boolean relu6, float[][] output, int outputBase) {
        int channels = bias.length;
        int c = 0;
        // MobileNetV2 at the input sizes in use has only these two cases; any other (an odd width at stride 1,
        // a stride of 3) runs the scalar kernel on every channel.
        boolean pairs = stride == 1 && outColumns % 2 == 0;
        for (; (pairs || stride == 2) && c + LANES <= channels; c += LANES) {
            if (pairs) {
                depthwisePairs(padded, paddedWidth, weights, bias, c, outRows, outColumns, relu6, output,
                        outputBase);
            } else {
                depthwiseStride2(padded, paddedWidth, weights, bias, c, outRows, outColumns, relu6, output,
                        outputBase);
            }
        }
        for (; c < channels; c++) {
            depthwiseScalar(padded, paddedWidth, weights, bias, c, stride, outRows, outColumns, relu6, output,
                    outputBase);
        }
    }

    /*
     * The depthwise kernels take one vector of channels, its 9 weight vectors loaded once, and walk the output
     * rows. Each sum takes its taps in the same order (row by row, left to right), so all give the same results.
     *
     * Why one vector of channels and not two (twice the sums in flight): C1 compiles these methods first, with
     * the Vector API's Java fallback of every operation inlined, and gives up on a method that needs more virtual
     * registers than its limit. A kernel for two vectors reached it in an on-stack-replacement compile; C1 then
     * never compiles the method again, and the tiered policy leaves it in tier-2 code for good, without the
     * vector intrinsics: boxed vectors, 37 MB of garbage and 7-10 times the CPU of a 96x96 picture (seen with
     * -Xmx128m -XX:+UseSerialGC, under which the compiles came in another order). Hence also one kernel a stride.
     */

    /**
     * Stride 1, two neighbouring output pixels at a time, sliding along the row: the pair's four columns of three
     * rows are the last pair's two right columns, kept in registers, and two new ones, so each output pixel loads
     * three input vectors instead of nine (every load from a row array costs the array's reference and bounds
     * checks too, which made the kernel load-bound).
     */
    private static void depthwisePairs(float[][] in, int paddedWidth, float[][] weights, float[] bias, int c,
                                       int outRows, int outColumns, boolean relu6, float[][] output,
                                       int outputBase) {
        FloatVector w0 = FloatVector.fromArray(SPECIES, weights[0], c);
        FloatVector w1 = FloatVector.fromArray(SPECIES, weights[1], c);
        FloatVector w2 = FloatVector.fromArray(SPECIES, weights[2], c);
        FloatVector w3 = FloatVector.fromArray(SPECIES, weights[3], c);
        FloatVector w4 = FloatVector.fromArray(SPECIES, weights[4], c);
        FloatVector w5 = FloatVector.fromArray(SPECIES, weights[5], c);
        FloatVector w6 = FloatVector.fromArray(SPECIES, weights[6], c);
        FloatVector w7 = FloatVector.fromArray(SPECIES, weights[7], c);
        FloatVector w8 = FloatVector.fromArray(SPECIES, weights[8], c);
        FloatVector b = FloatVector.fromArray(SPECIES, bias, c);
        FloatVector low = relu6 ? ZERO : NO_MIN;
        FloatVector high = relu6 ? SIX : NO_MAX;
        for (int oy = 0; oy < outRows; oy++) {
            int top = oy * paddedWidth;
            int middle = top + paddedWidth;
            int bottom = middle + paddedWidth;
            int o = outputBase + oy * outColumns;
            // t, m, d: the top, middle and bottom rows' two columns left of the pair's third
            FloatVector t0 = FloatVector.fromArray(SPECIES, in[top], c);
            FloatVector t1 = FloatVector.fromArray(SPECIES, in[top + 1], c);
            FloatVector m0 = FloatVector.fromArray(SPECIES, in[middle], c);
            FloatVector m1 = FloatVector.fromArray(SPECIES, in[middle + 1], c);
            FloatVector d0 = FloatVector.fromArray(SPECIES, in[bottom], c);
            FloatVector d1 = FloatVector.fromArray(SPECIES, in[bottom + 1], c);
            for (int x = 2; x < outColumns + 2; x += 2, o += 2) {
                FloatVector t2 = FloatVector.fromArray(SPECIES, in[top + x], c);
                FloatVector t3 = FloatVector.fromArray(SPECIES, in[top + x + 1], c);
                FloatVector a = t0.fma(w0, b);
                FloatVector e = t1.fma(w0, b);
                a = t1.fma(w1, a);
                e = t2.fma(w1, e);
                a = t2.fma(w2, a);
                e = t3.fma(w2, e);
                FloatVector m2 = FloatVector.fromArray(SPECIES, in[middle + x], c);
                FloatVector m3 = FloatVector.fromArray(SPECIES, in[middle + x + 1], c);
                a = m0.fma(w3, a);
                e = m1.fma(w3, e);
                a = m1.fma(w4, a);
                e = m2.fma(w4, e);
                a = m2.fma(w5, a);
                e = m3.fma(w5, e);
                FloatVector d2 = FloatVector.fromArray(SPECIES, in[bottom + x], c);
                FloatVector d3 = FloatVector.fromArray(SPECIES, in[bottom + x + 1], c);
                a = d0.fma(w6, a);
                e = d1.fma(w6, e);
                a = d1.fma(w7, a);
                e = d2.fma(w7, e);
                a = d2.fma(w8, a);
                e = d3.fma(w8, e);
                a.max(low).min(high).intoArray(output[o], c);
                e.max(low).min(high).intoArray(output[o + 1], c);
                t0 = t2;
                t1 = t3;
                m0 = m2;
                m1 = m3;
                d0 = d2;
                d1 = d3;
            }
        }
    }

    /**
     * Stride 2, sliding along the row: a window's left column is the last window's right one, kept in registers,
     * so each output pixel loads six input vectors instead of nine.
     */
    private static void depthwiseStride2(float[][] in, int paddedWidth, float[][] weights, float[] bias, int c,
                                         int outRows, int outColumns, boolean relu6, float[][] output,
                                         int outputBase) {
        FloatVector w0 = FloatVector.fromArray(SPECIES, weights[0], c);
        FloatVector w1 = FloatVector.fromArray(SPECIES, weights[1], c);
        FloatVector w2 = FloatVector.fromArray(SPECIES, weights[2], c);
        FloatVector w3 = FloatVector.fromArray(SPECIES, weights[3], c);
        FloatVector w4 = FloatVector.fromArray(SPECIES, weights[4], c);
        FloatVector w5 = FloatVector.fromArray(SPECIES, weights[5], c);
        FloatVector w6 = FloatVector.fromArray(SPECIES, weights[6], c);
        FloatVector w7 = FloatVector.fromArray(SPECIES, weights[7], c);
        FloatVector w8 = FloatVector.fromArray(SPECIES, weights[8], c);
        FloatVector b = FloatVector.fromArray(SPECIES, bias, c);
        FloatVector low = relu6 ? ZERO : NO_MIN;
        FloatVector high = relu6 ? SIX : NO_MAX;
        for (int oy = 0; oy < outRows; oy++) {
            int top = 2 * oy * paddedWidth;
            int middle = top + paddedWidth;
            int bottom = middle + paddedWidth;
            int o = outputBase + oy * outColumns;
            FloatVector t0 = FloatVector.fromArray(SPECIES, in[top], c);
            FloatVector m0 = FloatVector.fromArray(SPECIES, in[middle], c);
            FloatVector d0 = FloatVector.fromArray(SPECIES, in[bottom], c);
            for (int x = 1; x < 2 * outColumns; x += 2, o++) {
                FloatVector t1 = FloatVector.fromArray(SPECIES, in[top + x], c);
                FloatVector t2 = FloatVector.fromArray(SPECIES, in[top + x + 1], c);
                FloatVector a = t0.fma(w0, b);
                a = t1.fma(w1, a);
                a = t2.fma(w2, a);
                FloatVector m1 = FloatVector.fromArray(SPECIES, in[middle + x], c);
                FloatVector m2 = FloatVector.fromArray(SPECIES, in[middle + x + 1], c);
                a = m0.fma(w3, a);
                a = m1.fma(w4, a);
                a = m2.fma(w5, a);
                FloatVector d1 = FloatVector.fromArray(SPECIES, in[bottom + x], c);
                FloatVector d2 = FloatVector.fromArray(SPECIES, in[bottom + x + 1], c);
                a = d0.fma(w6, a);
                a = d1.fma(w7, a);
                a = d2.fma(w8, a);
                a.max(low).min(high).intoArray(output[o], c);
                t0 = t2;
                m0 = m2;
                d0 = d2;
            }
        }
    }

    private static void depthwiseScalar(float[][] in, int paddedWidth, float[][] weights, float[] bias, int c,
                                        int stride, int outRows, int outColumns, boolean relu6, float[][] output, int outputBase) {
        for (int oy = 0; oy < outRows; oy++) {
            for (int ox = 0; ox < outColumns; ox++) {
                int r = oy * stride * paddedWidth + ox * stride;
                float sum = bias[c];
                for (int ky = 0; ky < 3; ky++) {
                    for (int kx = 0; kx < 3; kx++) {
                        sum += in[r + ky * paddedWidth + kx][c] * weights[ky * 3 + kx][c];
                    }
                }
                output[outputBase + oy * outColumns + ox][c] = relu6 ? Math.min(Math.max(sum, 0f),
                        Convolutions.RELU6_MAX) : sum;
            }
        }
    }
}
