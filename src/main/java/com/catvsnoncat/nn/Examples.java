package com.catvsnoncat.nn;

import com.catvsnoncat.data.Dataset;

/**
 * Training inputs in both layouts the kernels want: X (features x examples) for Z = W X, and X^T (examples x
 * features) for dW = dZ X^T; both are kept so that neither product needs a transpose per iteration.
 */
record Examples(double[][] byFeature, double[][] byExample, int[] labels) {

    static Examples of(Dataset dataset, Standardizer standardizer) {
        double[][] rows = MatrixKernels.copy(MatrixKernels.data(dataset.examples()));
        if (standardizer != null) {
            for (double[] row : rows) {
                standardizer.applyInPlace(row);
            }
        }
        return new Examples(MatrixKernels.transpose(rows), rows, dataset.labels());
    }

    /** A subset of the examples (a mini-batch); rows are shared, not copied. */
    Examples select(int[] indices, int from, int to) {
        double[][] rows = new double[to - from][];
        int[] selected = new int[to - from];
        for (int i = from; i < to; i++) {
            rows[i - from] = byExample[indices[i]];
            selected[i - from] = labels[indices[i]];
        }
        return new Examples(MatrixKernels.transpose(rows), rows, selected);
    }

    int size() {
        return labels.length;
    }
}
