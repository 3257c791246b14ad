package com.catvsnoncat.nn;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;

/** Commons Math matrices over the fast kernels, for tests and benchmarks; nn itself works on the arrays. */
public final class TestMatrices {
    private TestMatrices() {
    }

    /** A * B. */
    public static RealMatrix multiply(RealMatrix a, RealMatrix b) {
        if (a.getColumnDimension() != b.getRowDimension()) {
            throw new IllegalArgumentException("inner dimensions differ: " + a.getColumnDimension() + " vs "
                    + b.getRowDimension());
        }
        double[][] c = new double[a.getRowDimension()][b.getColumnDimension()];
        MatrixKernels.accumulate(MatrixKernels.data(a), false, MatrixKernels.data(b), c);
        return new Array2DRowRealMatrix(c, false);
    }

    public static RealMatrix transpose(RealMatrix matrix) {
        return new Array2DRowRealMatrix(MatrixKernels.transpose(MatrixKernels.data(matrix)), false);
    }
}
