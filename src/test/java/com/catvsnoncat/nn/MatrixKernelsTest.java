package com.catvsnoncat.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.BlockRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The fast kernels agree with Commons Math's own products on random data, at shapes that hit every code path. */
class MatrixKernelsTest {
    private static final double TOLERANCE = 1e-12;

    @ParameterizedTest(name = "{0}x{1} by {1}x{2}")
    @CsvSource({"1,1,1", "3,5,2", "7,13,9", "20,12288,209", "209,300,209", "70,9,600", "5,2,1100"})
    void productsMatchCommonsMath(int m, int k, int n) {
        Random random = new Random(m * 31L + k * 7L + n);
        RealMatrix a = random(m, k, random, 0.3);
        RealMatrix b = random(k, n, random, 0.0);
        RealMatrix expected = new BlockRealMatrix(a.getData()).multiply(new BlockRealMatrix(b.getData()));

        assertClose(TestMatrices.multiply(a, b), expected);
        double[][] fromTransposed = new double[m][n];
        MatrixKernels.accumulate(MatrixKernels.data(TestMatrices.transpose(a)), true, MatrixKernels.data(b),
                fromTransposed);
        assertClose(new Array2DRowRealMatrix(fromTransposed, false), expected);

        double[][] sparse = new double[m][n];
        MatrixKernels.accumulateSparse(-0.5, MatrixKernels.data(a), MatrixKernels.data(b), sparse);
        assertClose(new Array2DRowRealMatrix(sparse, false), expected.scalarMultiply(-0.5));
    }

    @Test
    void sparseProductsOnOneThreadDoNotSeeEachOthersCoefficients() {
        Random random = new Random(11);
        // As in training: the ReLU's pattern changes every step, denser and sparser, and the shapes differ per layer.
        int[][] shapes = {{20, 209, 209}, {20, 209, 209}, {7, 20, 209}, {20, 300, 64}, {5, 7, 209}};
        double[] zeroShares = {0.1, 0.7, 0.0, 0.5, 0.9};
        for (int call = 0; call < shapes.length; call++) {
            int m = shapes[call][0];
            int k = shapes[call][1];
            int n = shapes[call][2];
            double[][] a = MatrixKernels.data(random(m, k, random, zeroShares[call]));
            double[][] b = MatrixKernels.data(random(k, n, random, 0.0));

            double[][] sparse = new double[m][n];
            MatrixKernels.accumulateSparse(-0.5, a, b, sparse);
            double[][] tiled = new double[m][n];
            MatrixKernels.accumulate(a, false, b, tiled);

            double[][] expected = new double[m][n];
            double[][] expectedUnscaled = new double[m][n];
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    for (int j = 0; j < n; j++) {
                        expected[i][j] += (-0.5 * a[i][p]) * b[p][j];
                        expectedUnscaled[i][j] += a[i][p] * b[p][j];
                    }
                }
            }
            assertThat(sparse).isDeepEqualTo(expected);
            assertThat(tiled).isDeepEqualTo(expectedUnscaled);
        }
    }

    @Test
    void resultsDoNotDependOnTheSplitIntoThreads() {
        Random random = new Random(5);
        RealMatrix a = random(20, 12288, random, 0);
        RealMatrix b = random(12288, 209, random, 0);
        double[][] single = new double[20][209];
        for (int i = 0; i < 20; i++) {
            // One row at a time is below the parallel threshold, so it runs on the calling thread alone.
            double[][] row = new double[1][209];
            MatrixKernels.accumulate(new double[][] {MatrixKernels.data(a)[i]}, false, MatrixKernels.data(b), row);
            single[i] = row[0];
        }
        assertThat(MatrixKernels.data(TestMatrices.multiply(a, b))).isDeepEqualTo(single);
    }

    @ParameterizedTest(name = "{0} rows by {1} rows of {2}")
    @CsvSource({"1,1,1", "1,20,12288", "3,20,100", "4,20,12288", "5,7,33", "32,20,12288", "33,20,12288", "13,20,1000", "9,3,5", "0,4,8"})
    void dotProductsOfRowsEqualTheStraightforwardLoopExactly(int rowsA, int rowsB, int length) {
        Random random = new Random(rowsA * 131L + rowsB * 17L + length);
        double[][] a = MatrixKernels.data(random(Math.max(rowsA, 1), length, random, 0.3));
        if (rowsA == 0) {
            a = new double[0][];
        }
        double[][] b = MatrixKernels.data(random(rowsB, length, random, 0.0));

        double[][] product = MatrixKernels.multiplyByTranspose(a, b);

        double[][] expected = new double[a.length][rowsB];
        for (int e = 0; e < a.length; e++) {
            for (int i = 0; i < rowsB; i++) {
                double sum = 0;
                for (int k = 0; k < length; k++) {
                    sum += a[e][k] * b[i][k];
                }
                expected[e][i] = sum;
            }
        }
        assertThat(product).isDeepEqualTo(expected);
        // Into a matrix that holds an earlier step's values (a training pass reuses its dW): they are overwritten.
        double[][] reused = new double[a.length][rowsB];
        for (double[] row : reused) {
            Arrays.fill(row, 7.5);
        }
        MatrixKernels.multiplyByTransposeInto(a, b, reused);
        assertThat(reused).isDeepEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} rows of {1}")
    @CsvSource({"1,3", "4,10", "7,5", "209,300", "210,1000"})
    void theGramMatrixIsTheFullProductBitForBit(int rows, int length) {
        Random random = new Random(rows * 31L + length);
        double[][] a = MatrixKernels.data(random(rows, length, random, 0.3));

        assertThat(MatrixKernels.gram(a)).isDeepEqualTo(MatrixKernels.multiplyByTranspose(a, a));
    }

    @Test
    void aPictureScoresTheSameAloneAndInABatch() {
        Random random = new Random(9);
        // Large enough to be split over threads, with a remainder after the blocks of four.
        double[][] batch = MatrixKernels.data(random(14, 1000, random, 0.2));
        double[][] weights = MatrixKernels.data(random(20, 1000, random, 0.0));

        double[][] together = MatrixKernels.multiplyByTranspose(batch, weights);

        for (int e = 0; e < batch.length; e++) {
            assertThat(MatrixKernels.multiplyByTranspose(new double[][] {batch[e]}, weights)[0])
                    .containsExactly(together[e]);
        }
    }

    @Test
    void rejectsMismatchedShapes() {
        RealMatrix a = new Array2DRowRealMatrix(2, 3);
        assertThatThrownBy(() -> TestMatrices.multiply(a, a)).hasMessageContaining("inner dimensions differ: 3 vs 2");
    }

    private static RealMatrix random(int rows, int cols, Random random, double zeroShare) {
        double[][] data = new double[rows][cols];
        for (double[] row : data) {
            for (int j = 0; j < cols; j++) {
                row[j] = random.nextDouble() < zeroShare ? 0 : random.nextGaussian();
            }
        }
        return new Array2DRowRealMatrix(data, false);
    }

    private static void assertClose(RealMatrix actual, RealMatrix expected) {
        assertThat(actual.getRowDimension()).isEqualTo(expected.getRowDimension());
        assertThat(actual.getColumnDimension()).isEqualTo(expected.getColumnDimension());
        double scale = Math.max(1, expected.getNorm());
        assertThat(actual.subtract(expected).getNorm() / scale).isLessThan(TOLERANCE);
    }
}
