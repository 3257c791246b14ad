package com.catvsnoncat.data;

import java.util.Objects;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Labelled examples as the network sees them: one row per example holding its input vector
 * (already scaled to [0, 1], see {@link InputVectors}), and a label per example (1 = cat, 0 = non-cat).
 */
public record Dataset(RealMatrix examples, int[] labels) {

    public Dataset {
        Objects.requireNonNull(examples, "examples");
        Objects.requireNonNull(labels, "labels");
        if (examples.getRowDimension() != labels.length) {
            throw new IllegalArgumentException("examples has " + examples.getRowDimension()
                    + " rows but there are " + labels.length + " labels");
        }
    }

    /** Over these rows, not copied: one example per row. */
    public static Dataset of(double[][] rows, int[] labels) {
        return new Dataset(new Array2DRowRealMatrix(rows, false), labels);
    }

    /** The examples' rows: the matrix's own arrays where it holds them (an Array2DRowRealMatrix); not to be modified. */
    public double[][] rows() {
        return examples instanceof Array2DRowRealMatrix array ? array.getDataRef() : examples.getData();
    }

    public int size() {
        return labels.length;
    }

    public int inputSize() {
        return examples.getColumnDimension();
    }

    public int cats() {
        int count = 0;
        for (int label : labels) {
            count += label;
        }
        return count;
    }

    /** A subset, in the order given; used for validation splits and mini-batches. */
    public Dataset select(int[] indices) {
        double[][] rows = new double[indices.length][];
        int[] selected = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            rows[i] = examples.getRow(indices[i]);
            selected[i] = labels[indices[i]];
        }
        return of(rows, selected);
    }

    /** This data set followed by every picture mirrored left to right, with the same labels. */
    public Dataset withMirrors() {
        int count = size();
        double[][] rows = new double[2 * count][];
        int[] doubled = new int[2 * count];
        for (int i = 0; i < count; i++) {
            rows[i] = examples.getRow(i);
            rows[count + i] = InputVectors.mirrored(rows[i]);
            doubled[i] = labels[i];
            doubled[count + i] = labels[i];
        }
        return of(rows, doubled);
    }
}
