package com.catvsnoncat.nn;

import java.util.ArrayList;
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

    /** A forward pass: Z_l and A_l for l = 1..L (index l - 1). */
    public record Forward(List<double[][]> preActivations, List<double[][]> activations) {
        public double[] output() {
            return activations.get(activations.size() - 1)[0];
        }
    }

    /** Z = W A + b. */
    public static double[][] linear(double[][] weights, double[][] bias, double[][] input) {
        double[][] z = new double[weights.length][input[0].length];
        MatrixKernels.accumulate(weights, false, input, z);
        addBias(z, bias);
        return z;
    }

    public static void addBias(double[][] z, double[][] bias) {
        for (int i = 0; i < z.length; i++) {
            double b = bias[i][0];
            double[] row = z[i];
            for (int j = 0; j < row.length; j++) {
                row[j] += b;
            }
        }
    }

    /**
     * Runs layers 1..L given Z1; weights and biases hold all layers (index l - 1), of which W1 is not read.
     */
    public static Forward forwardFromFirstLayer(double[][] z1, List<double[][]> weights, List<double[][]> biases) {
        int depth = weights.size();
        List<double[][]> zs = new ArrayList<>(depth);
        List<double[][]> as = new ArrayList<>(depth);
        double[][] z = z1;
        for (int l = 1; l <= depth; l++) {
            if (l > 1) {
                z = linear(weights.get(l - 1), biases.get(l - 1), as.get(l - 2));
            }
            zs.add(z);
            as.add(l < depth ? relu(z) : sigmoid(z));
        }
        return new Forward(zs, as);
    }

    public static Forward forward(double[][] input, List<double[][]> weights, List<double[][]> biases) {
        return forwardFromFirstLayer(linear(weights.get(0), biases.get(0), input), weights, biases);
    }

    static double[][] relu(double[][] z) {
        double[][] a = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            double[] row = z[i];
            double[] out = new double[row.length];
            for (int j = 0; j < row.length; j++) {
                double value = row[j];
                out[j] = value > 0 ? value : 0.0; // not Math.max: its NaN and -0.0 handling made this loop a hot spot
            }
            a[i] = out;
        }
        return a;
    }

    static double[][] sigmoid(double[][] z) {
        double[][] a = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            double[] row = z[i];
            double[] out = new double[row.length];
            for (int j = 0; j < row.length; j++) {
                out[j] = sigmoid(row[j]);
            }
            a[i] = out;
        }
        return a;
    }

    static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
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

    /** The gradients of a backward pass; dW and db for layers 2..L (index l - 1, null at 0), dZ1 for the caller. */
    public record Backward(double[][] firstLayerDz, double[][][] weightGradients, double[][][] biasGradients) {
    }

    /**
     * Backward pass of the cross-entropy cost, ReLU masks below the output. Gradients are averaged over the m
     * examples; the first layer's dW is not formed.
     */
    public static Backward backward(Forward forward, int[] labels, List<double[][]> weights) {
        int depth = weights.size();
        return backwardFrom(forward, outputDz(forward.activations().get(depth - 1)[0], labels), weights);
    }

    /**
     * Backward pass from a given dZ_L (1 x m), e.g. s(1 - s) for the gradient of the output probability itself.
     */
    public static Backward backwardFrom(Forward forward, double[][] outputDz, List<double[][]> weights) {
        int depth = weights.size();
        int m = outputDz[0].length;
        double[][][] dWs = new double[depth][][];
        double[][][] dbs = new double[depth][][];
        double[][] dz = outputDz;
        for (int l = depth; l >= 2; l--) {
            double[][] previousActivation = forward.activations().get(l - 2);
            double[][] dW = new double[dz.length][previousActivation.length];
            MatrixKernels.accumulate(dz, false, MatrixKernels.transpose(previousActivation), dW);
            scale(dW, 1.0 / m);
            dWs[l - 1] = dW;
            dbs[l - 1] = rowMeans(dz);
            double[][] w = weights.get(l - 1);
            double[][] dA = new double[w[0].length][m];
            MatrixKernels.accumulate(w, true, dz, dA);
            dz = reluBackward(dA, forward.preActivations().get(l - 2));
        }
        return new Backward(dz, dWs, dbs);
    }

    /**
     * dZ_L of the cross-entropy through the sigmoid: the reference's dA * s(1 - s) with dA = -(y/a - (1-y)/(1-a))
     * simplifies to a - y, which stays finite when a saturates at 0 or 1.
     */
    private static double[][] outputDz(double[] a, int[] labels) {
        double[] dz = new double[labels.length];
        for (int j = 0; j < labels.length; j++) {
            dz[j] = a[j] - labels[j];
        }
        return new double[][] {dz};
    }

    private static double[][] reluBackward(double[][] dA, double[][] z) {
        for (int i = 0; i < dA.length; i++) {
            double[] row = dA[i];
            double[] zRow = z[i];
            for (int j = 0; j < row.length; j++) {
                if (zRow[j] <= 0) {
                    row[j] = 0;
                }
            }
        }
        return dA;
    }

    public static double[][] rowMeans(double[][] matrix) {
        double[][] means = new double[matrix.length][1];
        for (int i = 0; i < matrix.length; i++) {
            double sum = 0;
            for (double v : matrix[i]) {
                sum += v;
            }
            means[i][0] = sum / matrix[i].length;
        }
        return means;
    }

    public static void scale(double[][] matrix, double factor) {
        for (double[] row : matrix) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= factor;
            }
        }
    }
}
