package com.catvsnoncat.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A convolutional feature extractor built from a Keras layer graph (as {@code make backbone} stores MobileNetV2):
 * zero padding, 3x3 convolutions, 1x1 convolutions, 3x3 depthwise convolutions, batch normalisation, ReLU6 and
 * residual adds, followed by global average pooling. At build time every batch normalisation is folded into the
 * convolution before it (w' = w gamma / sqrt(var + epsilon), b' = beta - mean gamma / sqrt(var + epsilon), epsilon
 * from the layer's config) and every ReLU6 and add is attached to the convolution whose output it takes, so the
 * forward pass is a list of convolutions. Immutable and thread-safe.
 */
public final class MobileNetV2 {
    /** One layer of the source graph: its Keras class, name, inbound layer names and config. */
    public record Layer(String className, String name, List<String> inputs, Map<String, Object> config) {
        public Layer {
            Objects.requireNonNull(className, "className");
            Objects.requireNonNull(name, "name");
            inputs = List.copyOf(inputs);
            config = Map.copyOf(config);
        }
    }

    /** A weight array: its Keras shape and its values in C order. */
    public record Weight(int[] shape, float[] values) {
    }

    private enum Kind { FULL, DEPTHWISE, POINTWISE }

    /** One convolution with folded normalisation; {@code residualFrom} is the index of a step output, or -1. */
    private static final class Step {
        final String name;
        final Kind kind;
        final int inputFrom;
        final int in;
        final int out;
        final int stride;
        final int[] padding; // top, bottom, left, right
        float[] weights;
        /** The folded weights as rows of {@code out} values, the layout the forward kernels read. */
        float[][] rows;
        /** For a 1x1 (or stem) convolution, the folded weights as {@link VectorConvolutions#pack} lays them out. */
        float[] packed;
        float[] bias;
        boolean relu6;
        int residualFrom = -1;
        boolean normalised;

        Step(String name, Kind kind, int inputFrom, int in, int out, int stride, int[] padding, float[] weights) {
            this.name = name;
            this.kind = kind;
            this.inputFrom = inputFrom;
            this.in = in;
            this.out = out;
            this.stride = stride;
            this.padding = padding;
            this.weights = weights;
        }
    }

    /**
     * Whether the forward pass runs {@link VectorConvolutions}: when the JVM was started with
     * {@code --add-modules jdk.incubator.vector} and the CPU has 256-bit vectors. Otherwise the scalar kernels of
     * {@link Convolutions}, the same results several times slower.
     */
    static final boolean VECTOR_KERNELS = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && VectorConvolutions.supported();

    private final List<Step> steps;
    private final int inputChannels;
    /** The inverted-residual blocks the vector kernels run row by row, by the index of their first step. */
    private final Map<Integer, Block> blocks;
    // The tensors of a pass, per thread, kept between calls: at 128x128 a picture's take about 2 MB (7.4 MB layer by
    // layer), which would otherwise be garbage after every classification.
    private final ThreadLocal<Workspace> workspace = ThreadLocal.withInitial(Workspace::new);

    private MobileNetV2(List<Step> steps, int inputChannels) {
        this.steps = steps;
        this.inputChannels = inputChannels;
        this.blocks = blocks(steps);
    }

    /**
     * An inverted-residual block: a 1x1 expansion (or the stem's 3x3 convolution, or none: -1), a 3x3 depthwise
     * convolution and the 1x1 projection of its output, neither of the first two read by any other step.
     */
    private record Block(int expand, int depthwise, int project) {
        int first() {
            return expand >= 0 ? expand : depthwise;
        }
    }

    private static Map<Integer, Block> blocks(List<Step> steps) {
        Map<Integer, Block> blocks = new HashMap<>();
        for (int d = 0; d + 1 < steps.size(); d++) {
            Step depthwise = steps.get(d);
            Step project = steps.get(d + 1);
            if (depthwise.kind != Kind.DEPTHWISE || project.kind != Kind.POINTWISE || project.inputFrom != d
                    || !onlyReadBy(steps, d, d + 1)) {
                continue;
            }
            int e = depthwise.inputFrom;
            boolean expands = e == d - 1 && e >= 0 && steps.get(e).kind != Kind.DEPTHWISE && onlyReadBy(steps, e, d);
            Block block = new Block(expands ? e : -1, d, d + 1);
            blocks.put(block.first(), block);
        }
        return blocks;
    }

    private static boolean onlyReadBy(List<Step> steps, int output, int reader) {
        for (int t = 0; t < steps.size(); t++) {
            Step step = steps.get(t);
            if (t != reader && (step.inputFrom == output || step.residualFrom == output)) {
                return false;
            }
        }
        return output != steps.size() - 1;
    }

    /** The length of a tensor's rows of {@code channels}: whole vectors, as {@link VectorConvolutions} writes them. */
    private static int rowLength(int channels) {
        return VECTOR_KERNELS && channels > 0 ? VectorConvolutions.rowLength(channels) : channels;
    }

    /** The tensors of one forward pass: one per step, and the stem's gathered 3x3 windows. */
    private final class Workspace {
        final float[][][] outputs = new float[steps.size()][][];
        float[][] windows;

        /** Step {@code s}'s output with at least {@code rows} rows, reused when it has them. */
        float[][] output(int s, int rows) {
            if (outputs[s] == null || outputs[s].length < rows) {
                outputs[s] = new float[rows][rowLength(steps.get(s).out)];
            }
            return outputs[s];
        }

        /**
         * Per block (by its depthwise step): the ring of expanded rows, the depthwise row, the padded view of the
         * window rows at the picture's border, and the padded views of the three orders of the ring's rows.
         */
        final float[][][] expanded = new float[steps.size()][][];
        final float[][][] depthwiseRow = new float[steps.size()][][];
        final float[][][] view = new float[steps.size()][][];
        final float[][][][] ringViews = new float[steps.size()][][][];
        final float[][] zeros = new float[steps.size()][];

        float[][][] ringViews(int s, int length) {
            if (ringViews[s] == null || ringViews[s][0].length < length) {
                ringViews[s] = new float[3][length][];
            }
            return ringViews[s];
        }

        /** {@code buffers[s]} with at least {@code rows} rows of {@code channels}, reused when it has them. */
        float[][] rows(float[][][] buffers, int s, int rows, int channels) {
            if (buffers[s] == null || buffers[s].length < rows) {
                buffers[s] = new float[rows][rowLength(channels)];
            }
            return buffers[s];
        }

        float[][] windows(int rows, int length) {
            if (windows == null || windows.length < rows || windows[0].length != length) {
                windows = new float[rows][length];
            }
            return windows;
        }
    }

    /**
     * Builds the extractor from the layers in topology order and their weights (named {@code layer/variable}).
     *
     * @throws IllegalArgumentException naming the first layer that is not supported or whose weights do not fit
     */
    public static MobileNetV2 build(List<Layer> layers, Map<String, Weight> weights) {
        // Where each layer's output lives: -1 for the picture, otherwise the step that computes it.
        Map<String, Integer> producedBy = new HashMap<>();
        Map<String, int[]> pendingPadding = new HashMap<>();
        Map<Integer, Integer> channelsOf = new HashMap<>();
        List<Step> steps = new ArrayList<>();
        int inputChannels = -1;
        for (Layer layer : layers) {
            switch (layer.className()) {
                case "InputLayer" -> {
                    List<?> shape = (List<?>) layer.config().get("batch_input_shape");
                    inputChannels = ((Number) shape.get(shape.size() - 1)).intValue();
                    producedBy.put(layer.name(), -1);
                    channelsOf.put(-1, inputChannels);
                }
                case "ZeroPadding2D" -> {
                    String input = single(layer);
                    if (pendingPadding.containsKey(input)) {
                        throw unsupported(layer, "padding of a padding");
                    }
                    List<?> pad = (List<?>) layer.config().get("padding");
                    int[] top = pair(pad.get(0));
                    int[] left = pair(pad.get(1));
                    producedBy.put(layer.name(), source(producedBy, layer, input));
                    pendingPadding.put(layer.name(), new int[] {top[0], top[1], left[0], left[1]});
                }
                case "Conv2D", "DepthwiseConv2D" -> {
                    String input = single(layer);
                    int from = source(producedBy, layer, input);
                    Step step = convolution(layer, from, channelsOf.get(from), pendingPadding.get(input), weights);
                    // The stem reads the picture itself, every later convolution a step's output.
                    if ((step.kind == Kind.FULL) != (from < 0)) {
                        throw unsupported(layer, step.kind == Kind.FULL ? "full 3x3 convolution after the first layer"
                                : "first layer other than a full 3x3 convolution");
                    }
                    steps.add(step);
                    producedBy.put(layer.name(), steps.size() - 1);
                    channelsOf.put(steps.size() - 1, step.out);
                }
                case "BatchNormalization" -> {
                    Step step = lastStepFor(steps, producedBy, layer, single(layer));
                    if (step.normalised || step.relu6 || step.residualFrom >= 0) {
                        throw unsupported(layer, "normalisation after anything but a convolution");
                    }
                    fold(step, layer, weights);
                    producedBy.put(layer.name(), steps.size() - 1);
                }
                case "ReLU" -> {
                    Step step = lastStepFor(steps, producedBy, layer, single(layer));
                    Map<String, Object> config = layer.config();
                    if (number(config, "max_value") != 6 || number(config, "negative_slope") != 0
                            || number(config, "threshold") != 0 || step.relu6 || step.residualFrom >= 0) {
                        throw unsupported(layer, "activation other than ReLU6 right after a convolution");
                    }
                    step.relu6 = true;
                    producedBy.put(layer.name(), steps.size() - 1);
                }
                case "Add" -> {
                    if (layer.inputs().size() != 2) {
                        throw unsupported(layer, "add of " + layer.inputs().size() + " inputs");
                    }
                    int a = source(producedBy, layer, layer.inputs().get(0));
                    int b = source(producedBy, layer, layer.inputs().get(1));
                    int last = steps.size() - 1;
                    int other = a == last ? b : a;
                    Step step = steps.get(last);
                    if ((a != last && b != last) || other == last || step.relu6 || step.residualFrom >= 0
                            || !channelsOf.get(other).equals(step.out)) {
                        throw unsupported(layer, "add that is not a residual onto the last convolution");
                    }
                    step.residualFrom = other;
                    producedBy.put(layer.name(), last);
                }
                default -> throw unsupported(layer, "layer class");
            }
        }
        if (steps.isEmpty() || inputChannels <= 0) {
            throw new IllegalArgumentException("the graph needs an input layer and at least one convolution");
        }
        for (Step step : steps) {
            if (!step.normalised) {
                throw new IllegalArgumentException(step.name + ": a convolution without batch normalisation after it"
                        + " (this extractor expects Keras' bias-free convolutions, each followed by one)");
            }
        }
        return new MobileNetV2(List.copyOf(steps), inputChannels);
    }

    /** The number of features: the channels of the last layer. */
    public int featureCount() {
        return steps.get(steps.size() - 1).out;
    }

    public int inputChannels() {
        return inputChannels;
    }

    /**
     * The average-pooled features of one picture.
     *
     * @param picture side x side x channels values in NHWC order, as the extractor was trained to see them
     * @param side    the picture's height and width; it must stay even down to the last stride-2 layer
     */
    public double[] features(float[] picture, int side) {
        return features(new float[][] {picture}, side)[0];
    }

    /**
     * The features of several pictures of the same side in one pass: every 1x1 convolution (most of the work)
     * is one matrix product over all their pixels.
     */
    public double[][] features(float[][] pictures, int side) {
        return forward(pictures, side, workspace.get(), VECTOR_KERNELS, VECTOR_KERNELS).features();
    }

    /**
     * As {@link #features(float[][], int)}, with the kernels chosen, and with the vector kernels, whether blocks
     * run row by row: for the tests of one against the other.
     */
    double[][] features(float[][] pictures, int side, boolean vectorKernels, boolean rowByRow) {
        return forward(pictures, side, new Workspace(), vectorKernels, rowByRow).features();
    }

    /** Every step's output of one forward pass of one picture (one row per pixel), kept for the backward pass. */
    public record Trace(float[] picture, int side, float[][][] outputs, int[] sides, double[] features) {
    }

    /** The forward pass of one picture, keeping every step's output. */
    public Trace trace(float[] picture, int side) {
        // Layer by layer: the backward pass needs every step's output.
        Pass pass = forward(new float[][] {picture}, side, new Workspace(), VECTOR_KERNELS, false);
        return new Trace(picture, side, pass.outputs(), pass.sides(), pass.features()[0]);
    }

    private record Pass(float[][][] outputs, int[] sides, double[][] features) {
    }

    /**
     * @param rowByRow with the vector kernels: run each inverted-residual block of at least 8 output columns row
     *                 by row, so that its expanded tensors (6 times the channels) are never stored whole: three
     *                 expanded rows and one depthwise row stay in L1/L2 instead of the whole expanded tensor
     *                 (885 KB at 96x96 in block 1) passing through L2 twice. Only the blocks' outputs are kept.
     */
    private Pass forward(float[][] pictures, int side, Workspace workspace, boolean vectorKernels,
                         boolean rowByRow) {
        for (float[] picture : pictures) {
            if (picture.length != side * side * inputChannels) {
                throw new IllegalArgumentException("a " + side + "x" + side + " picture has "
                        + side * side * inputChannels + " values, got " + picture.length);
            }
        }
        int count = pictures.length;
        float[][][] outputs = workspace.outputs;
        int[] sides = new int[steps.size()];
        for (int s = 0; s < steps.size(); s++) {
            Step step = steps.get(s);
            int inSide = step.inputFrom < 0 ? side : sides[step.inputFrom];
            Block block = vectorKernels && rowByRow ? blocks.get(s) : null;
            if (block != null && outputSide(steps.get(block.depthwise), depthwiseInputSide(block, inSide)) >= 8) {
                runRowByRow(block, pictures, inSide, outputs, sides, workspace);
                s = block.project;
                continue;
            }
            int outSide = outputSide(step, inSide);
            int pixels = outSide * outSide;
            float[][] output = workspace.output(s, count * pixels);
            switch (step.kind) {
                case POINTWISE -> pointwise(step, outputs[step.inputFrom], count * pixels,
                        step.residualFrom < 0 ? null : outputs[step.residualFrom], output, vectorKernels);
                case DEPTHWISE -> {
                    for (int i = 0; i < count; i++) {
                        depthwise(step, outputs[step.inputFrom], i * inSide * inSide, inSide, outSide, output,
                                i * pixels, vectorKernels);
                    }
                }
                case FULL -> {
                    // The stem: a 1x1 convolution of the pictures' 3x3 windows.
                    float[][] windows = workspace.windows(count * pixels, step.weights.length / step.out);
                    for (int i = 0; i < count; i++) {
                        Convolutions.windows(pictures[i], inSide, step.in, step.stride, step.padding[0],
                                step.padding[2], outSide, 0, outSide, windows, i * pixels);
                    }
                    pointwise(step, windows, count * pixels, null, output, vectorKernels);
                }
            }
            sides[s] = outSide;
        }
        int last = steps.size() - 1;
        int pixels = sides[last] * sides[last];
        double[][] features = new double[count][];
        for (int i = 0; i < count; i++) {
            features[i] = Convolutions.averagePool(outputs[last], i * pixels, pixels, steps.get(last).out);
        }
        return new Pass(outputs, sides, features);
    }

    /** The side of a block's depthwise input, given the side of what the block reads. */
    private int depthwiseInputSide(Block block, int sourceSide) {
        return block.expand >= 0 ? outputSide(steps.get(block.expand), sourceSide) : sourceSide;
    }

    /**
     * One block, one output row at a time: the expanded rows its 3x3 windows need (each computed once, kept in a
     * ring of three), the depthwise row, then that row's projection with its residual add. The stem's block
     * computes the stem's rows the same way, from the pictures' 3x3 windows of one row at a time.
     */
    private void runRowByRow(Block block, float[][] pictures, int sourceSide, float[][][] outputs, int[] sides,
                             Workspace workspace) {
        Step depthwise = steps.get(block.depthwise);
        Step project = steps.get(block.project);
        Step expand = block.expand >= 0 ? steps.get(block.expand) : null;
        int source = expand != null ? expand.inputFrom : depthwise.inputFrom;
        int inSide = depthwiseInputSide(block, sourceSide);
        int channels = depthwise.out;
        int stride = depthwise.stride;
        int outSide = outputSide(depthwise, inSide);
        int paddedWidth = (outSide - 1) * stride + 3;
        int count = pictures.length;
        float[][] input = source < 0 ? null : outputs[source];
        float[][] output = workspace.output(block.project, count * outSide * outSide);
        float[][] residual = project.residualFrom < 0 ? null : outputs[project.residualFrom];
        int d = block.depthwise;
        float[][] ring = workspace.rows(workspace.expanded, d, 3 * inSide, channels);
        float[][] row = workspace.rows(workspace.depthwiseRow, d, outSide, channels);
        float[][] view = workspace.rows(workspace.view, d, 3 * paddedWidth, 0);
        float[] zeros = workspace.zeros[d] == null ? workspace.zeros[d] = new float[channels] : workspace.zeros[d];
        float[][] windows = source < 0 ? workspace.windows(inSide, expand.rows.length) : null;
        int padLeft = depthwise.padding[2];
        // A window whose rows are all inside the picture reads the ring's slots (iy % 3) in one of three orders:
        // their padded views are set up once here, not row by row (a reference store each, 3,264 for the stem's
        // block at 64x64, behind G1's write barrier).
        float[][][] ringViews = expand != null ? workspace.ringViews(d, 3 * paddedWidth) : null;
        for (int first = 0; expand != null && first < 3; first++) {
            for (int ky = 0; ky < 3; ky++) {
                padRow(ring, (first + ky) % 3 * inSide, true, inSide, padLeft, zeros, ringViews[first],
                        ky * paddedWidth, paddedWidth);
            }
        }
        for (int i = 0; i < count; i++) {
            int inputBase = i * inSide * inSide;
            int expandedUpTo = -1;
            for (int oy = 0; oy < outSide; oy++) {
                int top = oy * stride - depthwise.padding[0];
                boolean whole = expand != null && top >= 0 && top + 2 < inSide;
                for (int ky = 0; ky < 3; ky++) {
                    int iy = top + ky;
                    boolean inside = iy >= 0 && iy < inSide;
                    for (; inside && expand != null && expandedUpTo < iy; expandedUpTo++) {
                        int next = expandedUpTo + 1;
                        if (source < 0) {
                            Convolutions.windows(pictures[i], sourceSide, expand.in, expand.stride,
                                    expand.padding[0], expand.padding[2], inSide, next, next + 1, windows, 0);
                            VectorConvolutions.pointwise(windows, 0, inSide, expand.rows.length, expand.out,
                                    expand.packed, expand.relu6, null, ring, next % 3 * inSide);
                        } else {
                            VectorConvolutions.pointwise(input, inputBase + next * inSide, inSide,
                                    expand.rows.length, expand.out, expand.packed, expand.relu6, null, ring,
                                    next % 3 * inSide);
                        }
                    }
                    if (!whole) {
                        padRow(expand != null ? ring : input, expand != null ? iy % 3 * inSide
                                : inputBase + iy * inSide, inside, inSide, padLeft, zeros, view, ky * paddedWidth,
                                paddedWidth);
                    }
                }
                VectorConvolutions.depthwise(whole ? ringViews[top % 3] : view, paddedWidth, depthwise.rows,
                        depthwise.bias, stride, 1, outSide, depthwise.relu6, row, 0);
                VectorConvolutions.pointwise(row, 0, outSide, project.in, project.out, project.packed,
                        project.relu6, residual, output, (i * outSide + oy) * outSide);
            }
        }
        if (expand != null) {
            sides[block.expand] = inSide;
        }
        sides[block.depthwise] = outSide;
        sides[block.project] = outSide;
    }

    /**
     * Row {@code [rowBase, rowBase + side)} of {@code rows} as a padded row of {@code width} at {@code at} of
     * {@code view}: {@code zeros} left of it, right of it, and throughout when the row is not {@code inside}.
     */
    private static void padRow(float[][] rows, int rowBase, boolean inside, int side, int padLeft, float[] zeros,
                               float[][] view, int at, int width) {
        for (int x = 0; x < width; x++) {
            int ix = x - padLeft;
            view[at + x] = inside && ix >= 0 && ix < side ? rows[rowBase + ix] : zeros;
        }
    }

    private static void pointwise(Step step, float[][] input, int pixels, float[][] residual, float[][] output,
                                  boolean vectorKernels) {
        if (vectorKernels) {
            VectorConvolutions.pointwise(input, 0, pixels, step.rows.length, step.out, step.packed, step.relu6,
                    residual, output, 0);
        } else {
            Convolutions.pointwise(input, pixels, step.rows, step.bias, step.relu6, residual, output);
        }
    }

    private static void depthwise(Step step, float[][] input, int inputBase, int inSide, int outSide,
                                  float[][] output, int outputBase, boolean vectorKernels) {
        if (vectorKernels) {
            VectorConvolutions.depthwise(input, inputBase, inSide, step.rows, step.bias, step.stride,
                    step.padding[0], step.padding[2], outSide, step.relu6, output, outputBase);
        } else {
            Convolutions.depthwise(input, inputBase, inSide, step.rows, step.bias, step.stride, step.padding[0],
                    step.padding[2], outSide, step.relu6, output, outputBase);
        }
    }

    /**
     * The backward pass: the gradient of a function of the features with respect to the picture's values, given
     * that function's gradient with respect to the features. ReLU6 passes gradient only where its output is
     * strictly between 0 and 6; a residual add passes it to both of its inputs.
     */
    public double[] pictureGradient(Trace trace, double[] featureGradient) {
        int last = steps.size() - 1;
        if (featureGradient.length != featureCount()) {
            throw new IllegalArgumentException("expected " + featureCount() + " feature gradients, got "
                    + featureGradient.length);
        }
        double[][] gradients = new double[steps.size()][];
        int pixels = trace.sides()[last] * trace.sides()[last];
        double[] pooled = new double[pixels * featureCount()];
        for (int p = 0; p < pixels; p++) {
            for (int c = 0; c < featureCount(); c++) {
                pooled[p * featureCount() + c] = featureGradient[c] / pixels;
            }
        }
        gradients[last] = pooled;
        double[] pictureGradient = new double[trace.picture().length];
        for (int s = last; s >= 0; s--) {
            Step step = steps.get(s);
            double[] gradient = gradients[s];
            gradients[s] = null;
            if (gradient == null) {
                continue; // nothing downstream depends on this output
            }
            if (step.relu6) {
                float[][] output = trace.outputs()[s];
                for (int p = 0; p < output.length; p++) {
                    for (int c = 0; c < step.out; c++) {
                        float value = output[p][c];
                        if (!(value > 0 && value < Convolutions.RELU6_MAX)) {
                            gradient[p * step.out + c] = 0;
                        }
                    }
                }
            }
            if (step.residualFrom >= 0) {
                accumulate(gradients, step.residualFrom, gradient.clone());
            }
            int inSide = step.inputFrom < 0 ? trace.side() : trace.sides()[step.inputFrom];
            double[] inputGradient = step.inputFrom < 0 ? pictureGradient : new double[inSide * inSide * step.in];
            Convolutions.transposed(step.kind == Kind.POINTWISE ? 1 : 3, step.kind == Kind.DEPTHWISE, gradient,
                    trace.sides()[s], step.out, step.weights, step.stride, step.padding[0], step.padding[2], inSide,
                    step.in, inputGradient);
            if (step.inputFrom >= 0) {
                accumulate(gradients, step.inputFrom, inputGradient);
            }
        }
        return pictureGradient;
    }

    private static void accumulate(double[][] gradients, int step, double[] gradient) {
        if (gradients[step] == null) {
            gradients[step] = gradient;
        } else {
            for (int i = 0; i < gradient.length; i++) {
                gradients[step][i] += gradient[i];
            }
        }
    }

    private static int outputSide(Step step, int inSide) {
        int padded = inSide + step.padding[0] + step.padding[1];
        int kernel = step.kind == Kind.POINTWISE ? 1 : 3;
        if (padded < kernel) {
            throw new IllegalArgumentException(step.name + ": the picture is too small for this layer");
        }
        return (padded - kernel) / step.stride + 1;
    }

    private static Step convolution(Layer layer, int from, int inChannels, int[] explicitPadding,
                                    Map<String, Weight> weights) {
        Map<String, Object> config = layer.config();
        boolean depthwise = layer.className().equals("DepthwiseConv2D");
        int[] kernel = pair(config.get("kernel_size"));
        int[] strides = pair(config.get("strides"));
        List<?> dilation = (List<?>) config.get("dilation_rate");
        if (strides[0] != strides[1] || !"channels_last".equals(config.get("data_format"))
                || Boolean.TRUE.equals(config.get("use_bias")) || !"linear".equals(config.get("activation"))
                || (dilation != null && pair(dilation)[0] * pair(dilation)[1] != 1)) {
            throw unsupported(layer, "convolution settings");
        }
        int stride = strides[0];
        Kind kind;
        if (kernel[0] == 1 && kernel[1] == 1 && !depthwise && stride == 1) {
            kind = Kind.POINTWISE;
        } else if (kernel[0] == 3 && kernel[1] == 3) {
            kind = depthwise ? Kind.DEPTHWISE : Kind.FULL;
        } else {
            throw unsupported(layer, "kernel size");
        }
        int[] padding;
        String mode = (String) config.get("padding");
        if ("valid".equals(mode)) {
            padding = explicitPadding != null ? explicitPadding : new int[4];
        } else if ("same".equals(mode) && explicitPadding == null && (stride == 1 || kind == Kind.POINTWISE)) {
            int half = kind == Kind.POINTWISE ? 0 : 1;
            padding = new int[] {half, half, half, half};
        } else {
            throw unsupported(layer, "padding");
        }
        int out;
        Weight kernelWeight;
        if (depthwise) {
            if (number(config, "depth_multiplier") != 1) {
                throw unsupported(layer, "depth multiplier");
            }
            kernelWeight = weight(weights, layer, "depthwise_kernel", 3, 3, inChannels, 1);
            out = inChannels;
        } else {
            out = (int) number(config, "filters");
            kernelWeight = weight(weights, layer, "kernel", kernel[0], kernel[1], inChannels, out);
        }
        return new Step(layer.name(), kind, from, inChannels, out, stride, padding, kernelWeight.values().clone());
    }

    /** Folds a batch normalisation into its convolution, in double precision, rounding once to float. */
    private static void fold(Step step, Layer layer, Map<String, Weight> weights) {
        Map<String, Object> config = layer.config();
        Object axis = config.get("axis");
        boolean lastAxis = axis instanceof Number n ? n.intValue() == -1 || n.intValue() == 3
                : axis instanceof List<?> list && list.size() == 1 && ((Number) list.get(0)).intValue() == 3;
        if (!lastAxis || !Boolean.TRUE.equals(config.get("center")) || !Boolean.TRUE.equals(config.get("scale"))) {
            throw unsupported(layer, "normalisation settings");
        }
        double epsilon = number(config, "epsilon");
        float[] gamma = weight(weights, layer, "gamma", step.out).values();
        float[] beta = weight(weights, layer, "beta", step.out).values();
        float[] mean = weight(weights, layer, "moving_mean", step.out).values();
        float[] variance = weight(weights, layer, "moving_variance", step.out).values();
        float[] bias = new float[step.out];
        double[] scale = new double[step.out];
        for (int c = 0; c < step.out; c++) {
            scale[c] = gamma[c] / Math.sqrt((double) variance[c] + epsilon);
            bias[c] = (float) (beta[c] - mean[c] * scale[c]);
        }
        // Every kernel layout here keeps the output channel last, so channel c is at index % out.
        for (int i = 0; i < step.weights.length; i++) {
            step.weights[i] = (float) (step.weights[i] * scale[i % step.out]);
        }
        step.bias = bias;
        step.rows = new float[step.weights.length / step.out][];
        for (int r = 0; r < step.rows.length; r++) {
            step.rows[r] = Arrays.copyOfRange(step.weights, r * step.out, (r + 1) * step.out);
        }
        if (step.kind != Kind.DEPTHWISE && VECTOR_KERNELS) {
            step.packed = VectorConvolutions.pack(step.weights, step.bias, step.rows.length, step.out);
        }
        step.normalised = true;
    }

    private static Weight weight(Map<String, Weight> weights, Layer layer, String variable, int... shape) {
        String name = layer.name() + "/" + variable;
        Weight weight = weights.get(name);
        if (weight == null) {
            throw new IllegalArgumentException(layer.name() + ": missing weight " + name);
        }
        if (!Arrays.equals(weight.shape(), shape)) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(weight.shape())
                    + ", the layer needs " + Arrays.toString(shape));
        }
        return weight;
    }

    private static Step lastStepFor(List<Step> steps, Map<String, Integer> producedBy, Layer layer, String input) {
        int from = source(producedBy, layer, input);
        if (from != steps.size() - 1 || from < 0) {
            throw unsupported(layer, "input that is not the output of the convolution just before");
        }
        return steps.get(from);
    }

    private static int source(Map<String, Integer> producedBy, Layer layer, String input) {
        Integer from = producedBy.get(input);
        if (from == null) {
            throw new IllegalArgumentException(layer.name() + ": unknown input layer " + input);
        }
        return from;
    }

    private static String single(Layer layer) {
        if (layer.inputs().size() != 1) {
            throw unsupported(layer, layer.inputs().size() + " inputs");
        }
        return layer.inputs().get(0);
    }

    private static int[] pair(Object value) {
        List<?> list = (List<?>) value;
        return new int[] {((Number) list.get(0)).intValue(), ((Number) list.get(1)).intValue()};
    }

    private static double number(Map<String, Object> config, String key) {
        Object value = config.get(key);
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException(config.get("name") + ": config " + key + " is not a number: " + value);
        }
        return number.doubleValue();
    }

    private static IllegalArgumentException unsupported(Layer layer, String what) {
        return new IllegalArgumentException(layer.name() + " (" + layer.className() + "): unsupported " + what);
    }
}
