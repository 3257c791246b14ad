package com.catvsnoncat.model;

import java.util.Arrays;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;

/** A 1-D or 2-D float64 array as stored in a .npy file: its shape and its values in C (row-major) order. */
public final class NpyArray {
    private final int[] shape;
    private final double[] data;

    /** Takes ownership of {@code data}, which must hold exactly the product of {@code shape} values. */
    public NpyArray(int[] shape, double[] data) {
        if (shape.length < 1 || shape.length > 2) {
            throw new IllegalArgumentException("only 1-D and 2-D arrays are supported, shape " + describe(shape));
        }
        long count = 1;
        for (int dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + describe(shape));
            }
            count *= dim;
        }
        if (count != data.length) {
            throw new IllegalArgumentException("shape " + describe(shape) + " needs " + count + " values, got " + data.length);
        }
        this.shape = shape.clone();
        this.data = data;
    }

    public static NpyArray of(RealMatrix matrix) {
        int rows = matrix.getRowDimension();
        int columns = matrix.getColumnDimension();
        double[][] source = rowsOf(matrix);
        double[] flat = new double[rows * columns];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(source[i], 0, flat, i * columns, columns);
        }
        return new NpyArray(new int[] {rows, columns}, flat);
    }

    public static NpyArray of(double[] vector) {
        return new NpyArray(new int[] {vector.length}, vector.clone());
    }

    /** The rows of a matrix, without copying when it is an {@link Array2DRowRealMatrix}. */
    static double[][] rowsOf(RealMatrix matrix) {
        return matrix instanceof Array2DRowRealMatrix dense ? dense.getDataRef() : matrix.getData();
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dimensions() {
        return shape.length;
    }

    /** The values in C order; the array itself, not a copy. */
    public double[] data() {
        return data;
    }

    /** This 2-D array as a matrix (the network code reads {@code getDataRef()}, so it is an {@link Array2DRowRealMatrix}). */
    public Array2DRowRealMatrix toMatrix() {
        if (shape.length != 2) {
            throw new IllegalStateException("not a 2-D array: shape " + describe(shape));
        }
        int columns = shape[1];
        double[][] rows = new double[shape[0]][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = Arrays.copyOfRange(data, i * columns, (i + 1) * columns);
        }
        return new Array2DRowRealMatrix(rows, false);
    }

    /** The shape as Python prints it: (5, 4) or (7,). */
    public static String describe(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder text = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            text.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return text.append(')').toString();
    }

    @Override
    public String toString() {
        return "NpyArray" + describe(shape);
    }
}
