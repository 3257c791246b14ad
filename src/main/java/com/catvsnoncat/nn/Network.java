package com.catvsnoncat.nn;

import java.util.List;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The parameters of an L-layer network [LINEAR->RELU]*(L-1) -> LINEAR->SIGMOID.
 * Layer l (1-based, as in the reference) has weights W_l of shape n_l x n_(l-1) and biases b_l of shape n_l x 1.
 */
public final class Network {
    private final List<RealMatrix> weights;
    private final List<RealMatrix> biases;
    private final int[] layerSizes;
    /** A copy of W1, so inference computes Z1^T = inputs W1^T as dot products of rows (see MatrixKernels). */
    private final double[][] firstLayer;

    public Network(List<RealMatrix> weights, List<RealMatrix> biases) {
        if (weights.isEmpty() || weights.size() != biases.size()) {
            throw new IllegalArgumentException("need as many bias vectors as weight matrices, and at least one layer");
        }
        layerSizes = new int[weights.size() + 1];
        layerSizes[0] = weights.get(0).getColumnDimension();
        for (int l = 0; l < weights.size(); l++) {
            RealMatrix w = weights.get(l);
            RealMatrix b = biases.get(l);
            if (w.getColumnDimension() != layerSizes[l]) {
                throw new IllegalArgumentException("W" + (l + 1) + " has " + w.getColumnDimension()
                        + " columns but layer " + l + " has " + layerSizes[l] + " units");
            }
            if (b.getRowDimension() != w.getRowDimension() || b.getColumnDimension() != 1) {
                throw new IllegalArgumentException("b" + (l + 1) + " must be " + w.getRowDimension() + "x1, is "
                        + b.getRowDimension() + "x" + b.getColumnDimension());
            }
            layerSizes[l + 1] = w.getRowDimension();
        }
        if (layerSizes[layerSizes.length - 1] != 1) {
            throw new IllegalArgumentException("the output layer must have one unit, has " + layerSizes[layerSizes.length - 1]);
        }
        this.weights = List.copyOf(weights);
        this.biases = List.copyOf(biases);
        this.firstLayer = MatrixKernels.copy(MatrixKernels.data(weights.get(0)));
    }

    /** Layer sizes n_0 (inputs) .. n_L (= 1). */
    public int[] layerSizes() {
        return layerSizes.clone();
    }

    /** L, the number of layers with parameters. */
    public int depth() {
        return weights.size();
    }

    public int inputSize() {
        return layerSizes[0];
    }

    /** W_l for l in 1..L. */
    public RealMatrix weight(int layer) {
        return weights.get(layer - 1);
    }

    /** b_l for l in 1..L. */
    public RealMatrix bias(int layer) {
        return biases.get(layer - 1);
    }

    /** Probabilities of cat for the examples in the rows of {@code examples} (examples x inputs). */
    public double[] predict(RealMatrix examples) {
        return predict(MatrixKernels.data(examples));
    }

    /** Probabilities of cat for rows of input vectors. */
    public double[] predict(double[][] examples) {
        if (examples.length == 0) {
            return new double[0];
        }
        for (double[] example : examples) {
            if (example.length != inputSize()) {
                throw new IllegalArgumentException("inputs have " + example.length + " values, the network takes "
                        + inputSize());
            }
        }
        double[][] z1Transposed = MatrixKernels.multiplyByTranspose(examples, firstLayer);
        List<double[][]> w = arrays(weights);
        Propagation.Pass pass = Propagation.Pass.of(w, examples.length);
        MatrixKernels.transposeInto(z1Transposed, pass.firstLayerZ());
        ElementWise.addBias(pass.firstLayerZ(), MatrixKernels.data(biases.get(0)));
        Propagation.forward(pass, w, arrays(biases));
        return pass.output();
    }

    public double predict(double[] input) {
        return predict(new double[][] {input})[0];
    }

    private static List<double[][]> arrays(List<RealMatrix> matrices) {
        return matrices.stream().map(MatrixKernels::data).toList();
    }

    public List<RealMatrix> weights() {
        return weights;
    }

    public List<RealMatrix> biases() {
        return biases;
    }
}
