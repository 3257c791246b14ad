package com.catvsnoncat.nn;

import com.catvsnoncat.data.Dataset;

/**
 * Training inputs in both layouts the kernels want: X^T (examples x features, the dataset's own rows) and X
 * (features x examples) for Z = W X. X is formed on first use only: the Gram solver never needs it, and transposing
 * the reference set is 20 MB written column by column.
 */
final class Examples {
    private final double[][] byExample;
    private final int[] labels;
    private double[][] byFeature;

    private Examples(double[][] byExample, int[] labels) {
        this.byExample = byExample;
        this.labels = labels;
    }

    /** The dataset's examples, standardised into a copy when a standardizer is given, shared as they are otherwise. */
    static Examples of(Dataset dataset, Standardizer standardizer) {
        double[][] rows = dataset.rows();
        if (standardizer != null) {
            rows = MatrixKernels.copy(rows);
            for (double[] row : rows) {
                standardizer.applyInPlace(row);
            }
        }
        return new Examples(rows, dataset.labels());
    }

    /** A subset of the examples (a mini-batch); rows are shared, not copied. */
    Examples select(int[] indices, int from, int to) {
        double[][] rows = new double[to - from][];
        int[] selected = new int[to - from];
        for (int i = from; i < to; i++) {
            rows[i - from] = byExample[indices[i]];
            selected[i - from] = labels[indices[i]];
        }
        return new Examples(rows, selected);
    }

    /** X^T: one row per example; not to be modified. */
    double[][] byExample() {
        return byExample;
    }

    /** X: one row per feature. */
    double[][] byFeature() {
        if (byFeature == null) {
            byFeature = MatrixKernels.transpose(byExample);
        }
        return byFeature;
    }

    int[] labels() {
        return labels;
    }

    int size() {
        return labels.length;
    }
}
