package com.catvsnoncat.nn;

import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The parameters of an L-layer network [LINEAR->RELU]*(L-1) -> LINEAR->SIGMOID.
 * Layer l (1-based, as in the reference) has weights W_l of shape n_l x n_(l-1) and biases b_l of shape n_l x 1.
 */
public final class Network {
    /** W_l and b_l at index l - 1, as arrays: the one representation inside nn. */
    private final List<double[][]> weights;
    private final List<double[][]> biases;
    private final int[] layerSizes;

    /**
     * The matrices given are not copied (an Array2DRowRealMatrix's own array is kept), and {@link #weight} and
     * {@link #bias} wrap the arrays again.
     */
    public Network(List<RealMatrix> weights, List<RealMatrix> biases) {
        this(new Layers(weights.stream().map(MatrixKernels::data).toList(),
                biases.stream().map(MatrixKernels::data).toList()));
    }

    /** Over these arrays, not copied. */
    static Network of(List<double[][]> weights, List<double[][]> biases) {
        return new Network(new Layers(weights, biases));
    }

    private record Layers(List<double[][]> weights, List<double[][]> biases) {
    }

    private Network(Layers layers) {
        List<double[][]> w = layers.weights();
        List<double[][]> b = layers.biases();
        if (w.isEmpty() || w.size() != b.size()) {
            throw new IllegalArgumentException("need as many bias vectors as weight matrices, and at least one layer");
        }
        layerSizes = new int[w.size() + 1];
        layerSizes[0] = columns(w.get(0));
        for (int l = 0; l < w.size(); l++) {
            if (columns(w.get(l)) != layerSizes[l]) {
                throw new IllegalArgumentException("W" + (l + 1) + " has " + columns(w.get(l))
                        + " columns but layer " + l + " has " + layerSizes[l] + " units");
            }
            if (b.get(l).length != w.get(l).length || columns(b.get(l)) != 1) {
                throw new IllegalArgumentException("b" + (l + 1) + " must be " + w.get(l).length + "x1, is "
                        + b.get(l).length + "x" + columns(b.get(l)));
            }
            layerSizes[l + 1] = w.get(l).length;
        }
        if (layerSizes[layerSizes.length - 1] != 1) {
            throw new IllegalArgumentException("the output layer must have one unit, has " + layerSizes[layerSizes.length - 1]);
        }
        this.weights = List.copyOf(w);
        this.biases = List.copyOf(b);
    }

    private static int columns(double[][] matrix) {
        return matrix.length == 0 ? 0 : matrix[0].length;
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

    /** W_l for l in 1..L, over the network's own array. */
    public RealMatrix weight(int layer) {
        return new Array2DRowRealMatrix(weights.get(layer - 1), false);
    }

    /** b_l for l in 1..L, over the network's own array. */
    public RealMatrix bias(int layer) {
        return new Array2DRowRealMatrix(biases.get(layer - 1), false);
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
        // Z1^T = inputs W1^T: dot products of rows of both, as W1 is stored (see MatrixKernels).
        double[][] z1Transposed = MatrixKernels.multiplyByTranspose(examples, weights.get(0));
        Propagation.Pass pass = Propagation.Pass.of(weights, examples.length);
        MatrixKernels.transposeInto(z1Transposed, pass.firstLayerZ());
        ElementWise.addBias(pass.firstLayerZ(), biases.get(0));
        Propagation.forward(pass, weights, biases);
        return pass.output();
    }

    public double predict(double[] input) {
        return predict(new double[][] {input})[0];
    }


    /** W_1..W_L, each over the network's own array. */
    public List<RealMatrix> weights() {
        return weights.stream().map(w -> (RealMatrix) new Array2DRowRealMatrix(w, false)).toList();
    }

    /** b_1..b_L, each over the network's own array. */
    public List<RealMatrix> biases() {
        return biases.stream().map(b -> (RealMatrix) new Array2DRowRealMatrix(b, false)).toList();
    }

    /** W_l at index l - 1, for the propagation code. */
    List<double[][]> weightArrays() {
        return weights;
    }

    /** b_l at index l - 1, for the propagation code. */
    List<double[][]> biasArrays() {
        return biases;
    }
}
