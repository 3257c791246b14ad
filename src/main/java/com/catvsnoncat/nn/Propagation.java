package com.catvsnoncat.nn;

import java.util.List;

/**
 * The network's maths on raw arrays, shared by every trainer and by prediction: forward from the first layer's
 * pre-activation, the cross-entropy cost, and backward down to the first layer's dZ. How Z1 is formed and how the
 * first layer's weights learn from dZ1 is left to the caller: the direct path uses W1 X, the Gram path does not.
 *
 * <p>Shapes follow the reference: activations are units x examples, W_l is n_l x n_(l-1), b_l is n_l x 1.
 */
public final class Propagation {
    private Propagation() {
    }

    /**
     * The arrays of one forward and backward pass over a fixed number of examples: Z_l, A_l and dZ_l (index l - 1),
     * dW_l for l >= 2 and db_l for every layer. Allocated once and reused pass after pass, so a training loop of
     * thousands of iterations allocates nothing per iteration (the allocations, not the arithmetic, dominated the
     * small layers' cost). Z1 is the caller's: the direct path forms W1 X + b1, the Gram path its own sum.
     */
    public static final class Pass {
        private final int examples;
        private final double[][][] z;
        private final double[][][] a;
        private final double[][][] dz;
        private final double[][][] dw;
        private final double[][][] db;

        /** A pass for layers n_0..n_L over {@code examples} examples. */
        public Pass(int[] layerSizes, int examples) {
            int depth = layerSizes.length - 1;
            this.examples = examples;
            z = new double[depth][][];
            a = new double[depth][][];
            dz = new double[depth][][];
            dw = new double[depth][][];
            db = new double[depth][][];
            for (int l = 1; l <= depth; l++) {
                z[l - 1] = new double[layerSizes[l]][examples];
                a[l - 1] = new double[layerSizes[l]][examples];
                dz[l - 1] = new double[layerSizes[l]][examples];
                db[l - 1] = new double[layerSizes[l]][1];
                if (l >= 2) {
                    dw[l - 1] = new double[layerSizes[l]][layerSizes[l - 1]];
                }
            }
        }

        /** A pass for the layers of these weights (W_l at index l - 1). */
        public static Pass of(List<double[][]> weights, int examples) {
            int[] sizes = new int[weights.size() + 1];
            sizes[0] = weights.get(0)[0].length;
            for (int l = 1; l <= weights.size(); l++) {
                sizes[l] = weights.get(l - 1).length;
            }
            return new Pass(sizes, examples);
        }

        /** Z1, to be filled by the caller before {@link #forward}. */
        public double[][] firstLayerZ() {
            return z[0];
        }

        /** The output layer's activations: the probabilities of cat, one per example. */
        public double[] output() {
            return a[a.length - 1][0];
        }

        /** dZ_l for l in 1..L; dZ_L is the input of {@link #backwardFromOutput}. */
        public double[][] dz(int layer) {
            return dz[layer - 1];
        }

        /** dW_l for l in 2..L (the first layer's is the solver's to form). */
        double[][] weightGradient(int layer) {
            return dw[layer - 1];
        }

        /** db_l for l in 1..L. */
        double[][] biasGradient(int layer) {
            return db[layer - 1];
        }

        int examples() {
            return examples;
        }

        /** This pass's gradients for an optimiser step, with dW1 given by the caller (null: W1 is not stepped). */
        Optimiser.Gradients gradients(double[][] firstLayerWeightGradient) {
            double[][][] weights = dw.clone();
            weights[0] = firstLayerWeightGradient;
            return new Optimiser.Gradients(weights, db);
        }
    }

    /** Z = W A + b, into a new array. */
    public static double[][] linear(double[][] weights, double[][] bias, double[][] input) {
        double[][] z = new double[weights.length][input[0].length];
        linearInto(weights, bias, input, z);
        return z;
    }

    /** Z = W A + b, overwriting z. */
    private static void linearInto(double[][] weights, double[][] bias, double[][] input, double[][] z) {
        ElementWise.zero(z);
        MatrixKernels.accumulate(weights, false, input, z);
        ElementWise.addBias(z, bias);
    }

    /**
     * Runs layers 1..L from the pass's Z1 (see {@link Pass#firstLayerZ}); weights and biases hold all layers (index
     * l - 1), of which W1 and b1 are not read.
     */
    public static void forward(Pass pass, List<double[][]> weights, List<double[][]> biases) {
        int depth = weights.size();
        for (int l = 1; l <= depth; l++) {
            if (l > 1) {
                linearInto(weights.get(l - 1), biases.get(l - 1), pass.a[l - 2], pass.z[l - 1]);
            }
            if (l < depth) {
                ElementWise.relu(pass.z[l - 1], pass.a[l - 1]);
            } else {
                ElementWise.sigmoid(pass.z[l - 1], pass.a[l - 1]);
            }
        }
    }

    /** A new pass run forward from the inputs (features x examples). */
    public static Pass forward(double[][] input, List<double[][]> weights, List<double[][]> biases) {
        Pass pass = Pass.of(weights, input[0].length);
        linearInto(weights.get(0), biases.get(0), input, pass.z[0]);
        forward(pass, weights, biases);
        return pass;
    }

    /**
     * Cross-entropy -(1/m) sum(y log a + (1 - y) log(1 - a)), summed as the reference's two dot products. A
     * probability that rounded to exactly 0 or 1 is taken one step inside, so a saturated output costs a large
     * finite amount instead of NaN.
     */
    public static double crossEntropy(double[] probabilities, int[] labels) {
        double positive = 0;
        double negative = 0;
        for (int j = 0; j < labels.length; j++) {
            double a = Math.min(Math.max(probabilities[j], Double.MIN_NORMAL), 1 - 0x1p-53);
            positive += labels[j] * Math.log(a);
            negative += (1 - labels[j]) * Math.log(1 - a);
        }
        return -(positive + negative) / labels.length;
    }

    /**
     * Backward pass of the cross-entropy cost, ReLU masks below the output, into the pass: dW_l and db_l averaged
     * over the m examples, and dZ1 for the caller; the first layer's dW is not formed.
     */
    public static void backward(Pass pass, int[] labels, List<double[][]> weights) {
        outputDz(pass.output(), labels, pass.dz[weights.size() - 1][0]);
        backwardFromOutput(pass, weights);
    }

    /** Backward pass from the dZ_L already in the pass, e.g. s(1 - s) for the gradient of the output itself. */
    public static void backwardFromOutput(Pass pass, List<double[][]> weights) {
        int m = pass.examples;
        for (int l = weights.size(); l >= 2; l--) {
            double[][] dz = pass.dz[l - 1];
            double[][] dW = pass.dw[l - 1];
            // dZ_l A_(l-1)^T as dot products of rows (both are units x examples): no transpose, no zeroing.
            MatrixKernels.multiplyByTransposeInto(dz, pass.a[l - 2], dW);
            ElementWise.scale(dW, 1.0 / m);
            ElementWise.rowMeans(dz, pass.db[l - 1]);
            double[][] dA = pass.dz[l - 2];
            ElementWise.zero(dA);
            MatrixKernels.accumulate(weights.get(l - 1), true, dz, dA);
            ElementWise.reluMask(dA, pass.z[l - 2]);
        }
        ElementWise.rowMeans(pass.dz[0], pass.db[0]);
    }

    /**
     * dZ_L of the cross-entropy through the sigmoid: the reference's dA * s(1 - s) with dA = -(y/a - (1-y)/(1-a))
     * simplifies to a - y, which stays finite when a saturates at 0 or 1.
     */
    private static void outputDz(double[] a, int[] labels, double[] dz) {
        for (int j = 0; j < labels.length; j++) {
            dz[j] = a[j] - labels[j];
        }
    }
}
