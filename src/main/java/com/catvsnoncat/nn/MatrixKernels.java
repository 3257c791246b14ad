package com.catvsnoncat.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Matrix products over the arrays behind {@link Array2DRowRealMatrix}, for the hot loops of training and inference.
 *
 * <p>{@code RealMatrix.multiply} reaches 0.4 to 4.3 GFLOP/s on this work. Here every product is written as rows of
 * C accumulating {@code a * row of B} (an axpy the JIT vectorises), tiled so a tile of C stays in cache while B is
 * streamed once, and tiles are spread over a pool of one thread per core. Each element of C sums its terms in
 * an order fixed by the shapes alone, whatever the number of threads, so results are deterministic. Zero
 * coefficients (frequent after a ReLU) are skipped.
 */
public final class MatrixKernels {
    /** Below this many multiply-adds the hand-off to other threads costs more than it saves. */
    private static final long PARALLEL_THRESHOLD = 1L << 17;
    private static final int TILE_COLUMNS = 512;
    private static final int TILE_ROWS = 64;
    private static final int MIN_SPLIT_COLUMNS = 32;
    /** Enough tiles to keep two cores busy when a product is split by rows and columns. */
    private static final int MIN_TILES = 4;
    private static final int K_SLICE = 1024;
    /** A tile's rows of B up to this size stay in the L2 cache, so they can be read once per row of C. */
    private static final int CACHED_TILE_BYTES = 512 * 1024;
    private static final int K_SLICE_MAX_COLUMNS = 1024;

    private static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors(), pool -> {
        ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        thread.setDaemon(true);
        thread.setName("catvsnoncat-matrix-" + thread.getPoolIndex());
        return thread;
    }, null, false);

    private MatrixKernels() {
    }

    public static double[][] transpose(double[][] matrix) {
        double[][] result = new double[matrix[0].length][matrix.length];
        transposeInto(matrix, result);
        return result;
    }

    /** Writes the transpose of matrix into result (columns x rows). */
    static void transposeInto(double[][] matrix, double[][] result) {
        int rows = matrix.length;
        int cols = matrix[0].length;
        for (int i = 0; i < rows; i++) {
            double[] row = matrix[i];
            for (int j = 0; j < cols; j++) {
                result[j][i] = row[j];
            }
        }
    }

    public static double[][] copy(double[][] matrix) {
        double[][] result = new double[matrix.length][];
        for (int i = 0; i < matrix.length; i++) {
            result[i] = matrix[i].clone();
        }
        return result;
    }

    /** The array behind the matrix, without a copy where it is an Array2DRowRealMatrix. */
    public static double[][] data(RealMatrix matrix) {
        return matrix instanceof Array2DRowRealMatrix array ? array.getDataRef() : matrix.getData();
    }

    /**
     * C += op(A) * B, where op(A) is A or A^T; C must be sized op(A).rows x B.columns.
     */
    static void accumulate(double[][] a, boolean transposeA, double[][] b, double[][] c) {
        int m = c.length;
        if (m == 0) {
            return;
        }
        int n = c[0].length;
        int k = b.length;
        if ((long) m * n * k < PARALLEL_THRESHOLD) {
            // The small layers of every training iteration: one tile, without the bookkeeping of many.
            new Tile(0, m, 0, n, 0, k, -1).run(a, transposeA, b, c);
            return;
        }
        List<Tile> tiles = tiles(m, n, k);
        int chunks = tiles.get(tiles.size() - 1).partial() + 1;
        double[][][] partials = new double[chunks][][];
        for (int chunk = 0; chunk < chunks; chunk++) {
            partials[chunk] = new double[m][n];
        }
        if (tiles.size() > 1 && POOL.getParallelism() > 1) {
            POOL.invoke(new TileRange(tiles, 0, tiles.size(), a, transposeA, b, c, partials));
        } else {
            for (Tile tile : tiles) {
                tile.run(a, transposeA, b, tile.partial() < 0 ? c : partials[tile.partial()]);
            }
        }
        // Partial sums over slices of k are added in a fixed order, so the result does not depend on threads.
        for (double[][] partial : partials) {
            for (int i = 0; i < m; i++) {
                double[] ci = c[i];
                double[] pi = partial[i];
                for (int j = 0; j < n; j++) {
                    ci[j] += pi[j];
                }
            }
        }
    }

    /**
     * A B^T for rows of A and rows of B of one length (inference's Z1^T = X W1^T, with W1 as stored). Each element
     * is a plain dot product summed in index order, so the result equals the straightforward triple loop bit for
     * bit, whatever the shapes. C2 does not vectorise such reductions, so the speed comes from register blocking:
     * two rows of B against four rows of A at a time, eight sums in registers for six loads per step (a row of A
     * is read once per pair of rows of B, and all of B once per four rows of A). A large product (a batch of
     * pictures) is split by rows of A, in blocks of four, over the pool's threads; one picture runs on the calling
     * thread. Every element is computed the same way either way.
     */
    public static double[][] multiplyByTranspose(double[][] a, double[][] b) {
        return multiplyByTranspose(a, b, false);
    }

    /**
     * A A^T for the rows of A (the Gram matrix of the examples). It is symmetric, and each element a_i . a_j is the
     * same sum in the same order as a_j . a_i, so only the blocks of four rows from the diagonal rightwards are
     * computed (about half the work) and the rest is mirrored, bit for bit what the full product would hold. Rows
     * are split between threads by work, not by count, since the top rows have the most columns right of them.
     */
    public static double[][] gram(double[][] a) {
        double[][] c = multiplyByTranspose(a, a, true);
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < i; j++) {
                c[i][j] = c[j][i];
            }
        }
        return c;
    }

    /**
     * C = A B^T into a given C (rows of A by rows of B), each element a dot product summed in index order: the
     * weight gradient dZ_l A_(l-1)^T of a training step without forming the transpose of A_(l-1).
     */
    static void multiplyByTransposeInto(double[][] a, double[][] b, double[][] c) {
        multiplyByTranspose(a, b, c, false);
    }

    /** A B^T, or with {@code upper} only the columns from each block of four rows' first row rightwards. */
    private static double[][] multiplyByTranspose(double[][] a, double[][] b, boolean upper) {
        double[][] c = new double[a.length][b.length];
        multiplyByTranspose(a, b, c, upper);
        return c;
    }

    private static void multiplyByTranspose(double[][] a, double[][] b, double[][] c, boolean upper) {
        int length = b.length == 0 ? 0 : b[0].length;
        int blocks = a.length / 4;
        int threads = Math.min(POOL.getParallelism(), blocks);
        if (threads > 1 && (long) a.length * b.length * length >= PARALLEL_THRESHOLD) {
            int[] bounds = rowBounds(a.length, b.length, threads, upper);
            List<ForkJoinTask<?>> parts = new ArrayList<>(threads);
            for (int t = 0; t < threads; t++) {
                int from = bounds[t];
                int to = bounds[t + 1];
                parts.add(ForkJoinTask.adapt(() -> multiplyRowsByTranspose(a, b, length, c, from, to, upper)));
            }
            POOL.invoke(ForkJoinTask.adapt(() -> ForkJoinTask.invokeAll(parts)));
        } else {
            multiplyRowsByTranspose(a, b, length, c, 0, a.length, upper);
        }
    }

    /** Row boundaries (multiples of four) that give each thread about the same number of dot products. */
    private static int[] rowBounds(int rows, int columns, int threads, boolean upper) {
        int blocks = rows / 4;
        long[] work = new long[blocks + 1];
        for (int block = 0; block < blocks; block++) {
            work[block + 1] = work[block] + (upper ? columns - 4L * block : columns);
        }
        int[] bounds = new int[threads + 1];
        int block = 0;
        for (int t = 1; t < threads; t++) {
            while (block < blocks && work[block] * threads < work[blocks] * t) {
                block++;
            }
            bounds[t] = 4 * block;
        }
        bounds[threads] = rows;
        return bounds;
    }

    private static void multiplyRowsByTranspose(double[][] a, double[][] b, int length, double[][] c, int from,
                                                int to, boolean upper) {
        int e = from;
        for (; e + 3 < to; e += 4) {
            dotBlock4(a[e], a[e + 1], a[e + 2], a[e + 3], b, upper ? e : 0, length, c[e], c[e + 1], c[e + 2],
                    c[e + 3]);
        }
        for (; e < to; e++) {
            dotRow(a[e], b, upper ? e : 0, length, c[e]);
        }
    }

    /** c_j[i] = a_j . b[i] for four rows a_j and i from {@code first}, two rows of b at a time. */
    private static void dotBlock4(double[] a0, double[] a1, double[] a2, double[] a3, double[][] b, int first,
                                  int length, double[] c0, double[] c1, double[] c2, double[] c3) {
        int i = first;
        for (; i + 1 < b.length; i += 2) {
            double[] u = b[i];
            double[] v = b[i + 1];
            double u0 = 0;
            double u1 = 0;
            double u2 = 0;
            double u3 = 0;
            double v0 = 0;
            double v1 = 0;
            double v2 = 0;
            double v3 = 0;
            for (int k = 0; k < length; k++) {
                double uk = u[k];
                double vk = v[k];
                double x0 = a0[k];
                double x1 = a1[k];
                double x2 = a2[k];
                double x3 = a3[k];
                u0 += x0 * uk;
                u1 += x1 * uk;
                u2 += x2 * uk;
                u3 += x3 * uk;
                v0 += x0 * vk;
                v1 += x1 * vk;
                v2 += x2 * vk;
                v3 += x3 * vk;
            }
            c0[i] = u0;
            c1[i] = u1;
            c2[i] = u2;
            c3[i] = u3;
            c0[i + 1] = v0;
            c1[i + 1] = v1;
            c2[i + 1] = v2;
            c3[i + 1] = v3;
        }
        for (; i < b.length; i++) {
            double[] u = b[i];
            double u0 = 0;
            double u1 = 0;
            double u2 = 0;
            double u3 = 0;
            for (int k = 0; k < length; k++) {
                double uk = u[k];
                u0 += a0[k] * uk;
                u1 += a1[k] * uk;
                u2 += a2[k] * uk;
                u3 += a3[k] * uk;
            }
            c0[i] = u0;
            c1[i] = u1;
            c2[i] = u2;
            c3[i] = u3;
        }
    }

    /** c[i] = a . b[i] for i from {@code first}, four rows of b at a time (four independent sums keep the adder busy). */
    private static void dotRow(double[] a, double[][] b, int first, int length, double[] c) {
        int i = first;
        for (; i + 3 < b.length; i += 4) {
            double[] u = b[i];
            double[] v = b[i + 1];
            double[] w = b[i + 2];
            double[] z = b[i + 3];
            double su = 0;
            double sv = 0;
            double sw = 0;
            double sz = 0;
            for (int k = 0; k < length; k++) {
                double x = a[k];
                su += x * u[k];
                sv += x * v[k];
                sw += x * w[k];
                sz += x * z[k];
            }
            c[i] = su;
            c[i + 1] = sv;
            c[i + 2] = sw;
            c[i + 3] = sz;
        }
        for (; i < b.length; i++) {
            double[] u = b[i];
            double sum = 0;
            for (int k = 0; k < length; k++) {
                sum += a[k] * u[k];
            }
            c[i] = sum;
        }
    }

    /**
     * C += s A B for a sparse A (such as dZ behind a ReLU, often more than half zeros) and a B small enough to stay
     * in cache: row by row of A, only its non-zero coefficients, four rows of B per pass over a row of C.
     */
    static void accumulateSparse(double scale, double[][] a, double[][] b, double[][] c) {
        int k = b.length;
        Compaction compaction = Compaction.of(k);
        int[] nonZero = compaction.rows;
        double[] coefficients = compaction.coefficients;
        for (int i = 0; i < c.length; i++) {
            double[] aRow = a[i];
            // Compacted without a branch: which of dZ1's entries the ReLU zeroed changes from row to row and step
            // to step, so a branch on it is mispredicted about as often as it is taken.
            int count = 0;
            for (int p = 0; p < k; p++) {
                double value = aRow[p];
                nonZero[count] = p;
                coefficients[count] = scale * value;
                count += value != 0 ? 1 : 0;
            }
            accumulateRow(c[i], 0, c[i].length, b, nonZero, coefficients, count);
        }
    }

    /** c[from..to) += sum over q < count of coefficients[q] * b[rows[q]][from..to), four rows of B per pass. */
    private static void accumulateRow(double[] c, int from, int to, double[][] b, int[] rows, double[] coefficients,
                                      int count) {
        int q = 0;
        for (; q + 3 < count; q += 4) {
            double[] b0 = b[rows[q]];
            double[] b1 = b[rows[q + 1]];
            double[] b2 = b[rows[q + 2]];
            double[] b3 = b[rows[q + 3]];
            double a0 = coefficients[q];
            double a1 = coefficients[q + 1];
            double a2 = coefficients[q + 2];
            double a3 = coefficients[q + 3];
            for (int j = from; j < to; j++) {
                c[j] = c[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
            }
        }
        for (; q < count; q++) {
            double[] bq = b[rows[q]];
            double aq = coefficients[q];
            for (int j = from; j < to; j++) {
                c[j] += aq * bq[j];
            }
        }
    }

    /**
     * A thread's buffers for the non-zero coefficients of a row of A (their rows of B and their values), grown as
     * needed and kept: the training loop runs these products about 17,500 times, and buffers allocated per call were
     * 8 MB of a reference run's garbage, one more young collection (each copies the live training examples).
     */
    private static final class Compaction {
        private static final ThreadLocal<Compaction> OF_THREAD = ThreadLocal.withInitial(Compaction::new);

        private int[] rows = new int[0];
        private double[] coefficients = new double[0];

        /** The calling thread's buffers, at least {@code size} long; nothing of an earlier call's is to be read. */
        static Compaction of(int size) {
            Compaction compaction = OF_THREAD.get();
            if (compaction.rows.length < size) {
                compaction.rows = new int[size];
                compaction.coefficients = new double[size];
            }
            return compaction;
        }
    }

    /**
     * How C = A B is cut into independent pieces. Narrow products with a long inner dimension (W1 X: 20 x 209 over
     * 12288) are cut along k into fixed slices, each summed into its own partial C, so every thread streams its own
     * part of B with full-width rows; otherwise C is cut into tiles of rows and columns. The cut depends on the
     * shapes only, never on the number of threads.
     */
    private static List<Tile> tiles(int m, int n, int k) {
        if (n <= K_SLICE_MAX_COLUMNS && k >= 2 * K_SLICE) {
            int slices = (k + K_SLICE - 1) / K_SLICE;
            List<Tile> tiles = new ArrayList<>(slices);
            for (int s = 0; s < slices; s++) {
                tiles.add(new Tile(0, m, 0, n, k * s / slices, k * (s + 1) / slices, s));
            }
            return tiles;
        }
        // Columns narrow enough that the tile's rows of B stay in L2 when k is short (dW1 = dZ1 X^T).
        int width = Math.max(MIN_SPLIT_COLUMNS * 2, Math.min(TILE_COLUMNS, CACHED_TILE_BYTES / (Double.BYTES * k)));
        int columnBlocks = Math.max(1, (n + width - 1) / width);
        int rowBlocks = Math.max(1, (m + TILE_ROWS - 1) / TILE_ROWS);
        while (columnBlocks * rowBlocks < MIN_TILES && n / (columnBlocks + 1) >= MIN_SPLIT_COLUMNS) {
            columnBlocks++;
        }
        List<Tile> tiles = new ArrayList<>(columnBlocks * rowBlocks);
        for (int rb = 0; rb < rowBlocks; rb++) {
            for (int cb = 0; cb < columnBlocks; cb++) {
                tiles.add(new Tile(m * rb / rowBlocks, m * (rb + 1) / rowBlocks,
                        n * cb / columnBlocks, n * (cb + 1) / columnBlocks, 0, k, -1));
            }
        }
        return tiles;
    }

    /** Rows and columns of C, over rows pStart..pEnd of B; into C itself (partial -1) or into a partial sum. */
    private record Tile(int rowStart, int rowEnd, int colStart, int colEnd, int pStart, int pEnd, int partial) {
        /**
         * Four rows of B per pass over a row of C, so each element of C is loaded and stored once for four
         * multiply-adds (measured 1.5x faster than one row at a time; more rows or more rows of C per pass were
         * slower). Written as {@code c = c + t0 + t1 + ...} (left to right), the result is bit-identical to adding
         * the terms one by one.
         */
        void run(double[][] a, boolean transposeA, double[][] b, double[][] c) {
            if ((long) (pEnd - pStart) * (colEnd - colStart) * Double.BYTES <= CACHED_TILE_BYTES) {
                runByRow(a, transposeA, b, c);
                return;
            }
            int p = pStart;
            for (; p + 3 < pEnd; p += 4) {
                double[] b0 = b[p];
                double[] b1 = b[p + 1];
                double[] b2 = b[p + 2];
                double[] b3 = b[p + 3];
                for (int i = rowStart; i < rowEnd; i++) {
                    double a0 = coefficient(a, transposeA, i, p);
                    double a1 = coefficient(a, transposeA, i, p + 1);
                    double a2 = coefficient(a, transposeA, i, p + 2);
                    double a3 = coefficient(a, transposeA, i, p + 3);
                    if (a0 == 0 && a1 == 0 && a2 == 0 && a3 == 0) {
                        continue;
                    }
                    double[] ci = c[i];
                    for (int j = colStart; j < colEnd; j++) {
                        ci[j] = ci[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
                    }
                }
            }
            for (; p < pEnd; p++) {
                double[] bp = b[p];
                for (int i = rowStart; i < rowEnd; i++) {
                    double coefficient = coefficient(a, transposeA, i, p);
                    if (coefficient != 0) {
                        double[] ci = c[i];
                        for (int j = colStart; j < colEnd; j++) {
                            ci[j] += coefficient * bp[j];
                        }
                    }
                }
            }
        }

        /**
         * Row by row of C with the tile of B in cache: only the non-zero coefficients of the row of A are used, in
         * order, so a sparse A (dZ behind a ReLU) costs only its non-zeros. The sum is the same, bit for bit, as
         * adding every term in order.
         */
        private void runByRow(double[][] a, boolean transposeA, double[][] b, double[][] c) {
            Compaction compaction = Compaction.of(pEnd - pStart);
            int[] nonZero = compaction.rows;
            double[] coefficients = compaction.coefficients;
            for (int i = rowStart; i < rowEnd; i++) {
                int count = 0;
                for (int p = pStart; p < pEnd; p++) {
                    double value = coefficient(a, transposeA, i, p);
                    if (value != 0) {
                        nonZero[count] = p;
                        coefficients[count++] = value;
                    }
                }
                accumulateRow(c[i], colStart, colEnd, b, nonZero, coefficients, count);
            }
        }

        private static double coefficient(double[][] a, boolean transposeA, int i, int p) {
            return transposeA ? a[p][i] : a[i][p];
        }
    }

    private static final class TileRange extends RecursiveAction {
        private final List<Tile> tiles;
        private final int from;
        private final int to;
        private final double[][] a;
        private final boolean transposeA;
        private final double[][] b;
        private final double[][] c;
        private final double[][][] partials;

        TileRange(List<Tile> tiles, int from, int to, double[][] a, boolean transposeA, double[][] b, double[][] c,
                  double[][][] partials) {
            this.tiles = tiles;
            this.from = from;
            this.to = to;
            this.a = a;
            this.transposeA = transposeA;
            this.b = b;
            this.c = c;
            this.partials = partials;
        }

        @Override
        protected void compute() {
            if (to - from == 1) {
                Tile tile = tiles.get(from);
                tile.run(a, transposeA, b, tile.partial() < 0 ? c : partials[tile.partial()]);
                return;
            }
            int middle = (from + to) >>> 1;
            invokeAll(new TileRange(tiles, from, middle, a, transposeA, b, c, partials),
                    new TileRange(tiles, middle, to, a, transposeA, b, c, partials));
        }
    }
}
