package com.catvsnoncat.nn;

import java.util.ArrayList;
import java.util.List;

/** Mutable weights and biases during training, as raw arrays (index l - 1 for layer l). */
final class Parameters {
    final List<double[][]> weights;
    final List<double[][]> biases;

    Parameters(List<double[][]> weights, List<double[][]> biases) {
        this.weights = weights;
        this.biases = biases;
    }

    /** The reference's initialisation: W_l = randn(n_l, n_(l-1)) / sqrt(n_(l-1)), layer 1 first; b_l = 0. */
    static Parameters initialise(int[] layers, NumpyRandom random) {
        List<double[][]> weights = new ArrayList<>();
        List<double[][]> biases = new ArrayList<>();
        for (int l = 1; l < layers.length; l++) {
            double[][] w = random.randn(layers[l], layers[l - 1]);
            double scale = Math.sqrt(layers[l - 1]);
            for (double[] row : w) {
                for (int j = 0; j < row.length; j++) {
                    row[j] /= scale;
                }
            }
            weights.add(w);
            biases.add(new double[layers[l]][1]);
        }
        return new Parameters(weights, biases);
    }

    Parameters copy() {
        return new Parameters(weights.stream().map(MatrixKernels::copy).toList(),
                biases.stream().map(MatrixKernels::copy).toList());
    }

    int depth() {
        return weights.size();
    }

    /** The network these parameters make, over copies of them. */
    Network toNetwork() {
        Parameters copy = copy();
        return Network.of(copy.weights, copy.biases);
    }

    /** sum over layers of ||W_l||^2, for the L2 term of the cost. */
    double squaredWeightNorm(int fromLayer) {
        double sum = 0;
        for (int l = fromLayer; l <= depth(); l++) {
            sum += squaredNorm(weights.get(l - 1));
        }
        return sum;
    }

    /** Adds the L2 term's gradient lambda/m W_l to dW_l (nothing when lambda is 0). */
    void addWeightDecay(int layer, double[][] dW, double l2, int examples) {
        if (l2 > 0) {
            ElementWise.addScaled(dW, l2 / examples, weights.get(layer - 1));
        }
    }

    static double squaredNorm(double[][] matrix) {
        double sum = 0;
        for (double[] row : matrix) {
            for (double v : row) {
                sum += v * v;
            }
        }
        return sum;
    }
}
