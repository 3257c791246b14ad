package com.catvsnoncat.nn;

import java.util.Arrays;

/**
 * The element-wise loops of training and inference in one place: activations, the ReLU mask, biases, scaling,
 * row means and the parameter updates. Each runs over arrays of the same shape, row by row, in place or into a
 * given output, so a training loop allocates nothing.
 */
final class ElementWise {
    private ElementWise() {
    }

    /** a = max(z, 0), as (z + |z|) / 2: exact, and without a branch the sign pattern would defeat. */
    static void relu(double[][] z, double[][] a) {
        for (int i = 0; i < z.length; i++) {
            double[] row = z[i];
            double[] out = a[i];
            for (int j = 0; j < row.length; j++) {
                double value = row[j];
                out[j] = (value + Math.abs(value)) * 0.5;
            }
        }
    }

    /** dA = 0 where z <= 0 (the ReLU's derivative), as a select rather than a branch. */
    static void reluMask(double[][] dA, double[][] z) {
        for (int i = 0; i < dA.length; i++) {
            double[] row = dA[i];
            double[] zRow = z[i];
            for (int j = 0; j < row.length; j++) {
                row[j] = zRow[j] > 0 ? row[j] : 0.0;
            }
        }
    }

    static void sigmoid(double[][] z, double[][] a) {
        for (int i = 0; i < z.length; i++) {
            double[] row = z[i];
            double[] out = a[i];
            for (int j = 0; j < row.length; j++) {
                out[j] = 1.0 / (1.0 + Math.exp(-row[j]));
            }
        }
    }

    /** z += b, b a column (one value per row of z). */
    static void addBias(double[][] z, double[][] bias) {
        for (int i = 0; i < z.length; i++) {
            double b = bias[i][0];
            double[] row = z[i];
            for (int j = 0; j < row.length; j++) {
                row[j] += b;
            }
        }
    }

    static void zero(double[][] matrix) {
        for (double[] row : matrix) {
            Arrays.fill(row, 0.0);
        }
    }

    static void scale(double[][] matrix, double factor) {
        for (double[] row : matrix) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= factor;
            }
        }
    }

    /** The mean of each row of the matrix, into a column. */
    static void rowMeans(double[][] matrix, double[][] means) {
        for (int i = 0; i < matrix.length; i++) {
            double sum = 0;
            for (double v : matrix[i]) {
                sum += v;
            }
            means[i][0] = sum / matrix[i].length;
        }
    }

    /** p -= rate * g (a gradient-descent step). */
    static void subtractScaled(double[][] parameter, double rate, double[][] gradient) {
        for (int i = 0; i < parameter.length; i++) {
            double[] p = parameter[i];
            double[] g = gradient[i];
            for (int j = 0; j < p.length; j++) {
                p[j] -= rate * g[j];
            }
        }
    }

    /** g += factor * p (the L2 term's gradient added to a weight gradient). */
    static void addScaled(double[][] gradient, double factor, double[][] parameter) {
        for (int i = 0; i < gradient.length; i++) {
            double[] g = gradient[i];
            double[] p = parameter[i];
            for (int j = 0; j < g.length; j++) {
                g[j] += factor * p[j];
            }
        }
    }
}
