package com.catvsnoncat.nn;

import org.apache.commons.math3.random.MersenneTwister;

/**
 * The random streams of numpy's legacy {@code np.random.seed(s)} / {@code np.random.randn}, reproduced exactly
 * so that a seed gives the reference implementation's initial weights.
 *
 * <p>{@code new MersenneTwister(int)} is MT19937's init_genrand, as numpy's seeding with an integer. On top of it,
 * numpy builds a 53-bit double from two 32-bit outputs (27 + 26 bits; Commons Math's nextDouble uses 26 + 26,
 * hence this class), and its legacy normal is the Marsaglia polar method returning the second value of each
 * pair first and caching the other.
 */
public final class NumpyRandom {
    private final MersenneTwister twister;
    private double cachedGaussian;
    private boolean hasCachedGaussian;

    public NumpyRandom(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("seed must be between 0 and 2^32 - 1, as numpy requires, got " + seed);
        }
        twister = new MersenneTwister((int) seed);
    }

    /** numpy's random_sample(): uniform on [0, 1) with 53 random bits. */
    public double nextDouble() {
        long a = Integer.toUnsignedLong(twister.nextInt()) >>> 5;
        long b = Integer.toUnsignedLong(twister.nextInt()) >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /** numpy's legacy standard normal (legacy_gauss). */
    public double nextGaussian() {
        if (hasCachedGaussian) {
            hasCachedGaussian = false;
            return cachedGaussian;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * nextDouble() - 1.0;
            x2 = 2.0 * nextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * Math.log(r2) / r2);
        cachedGaussian = f * x1;
        hasCachedGaussian = true;
        return f * x2;
    }

    /** {@code np.random.randn(rows, cols)}: filled row by row. */
    public double[][] randn(int rows, int cols) {
        double[][] values = new double[rows][cols];
        for (double[] row : values) {
            for (int c = 0; c < cols; c++) {
                row[c] = nextGaussian();
            }
        }
        return values;
    }

    /** {@code np.random.permutation(n)} (legacy shuffle, Fisher-Yates from the end with bounded integers). */
    public int[] permutation(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = (int) boundedInt(i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /** A uniform integer in [0, max], as numpy's legacy random_interval (masked rejection sampling). */
    private long boundedInt(long max) {
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        mask |= mask >>> 32;
        long value;
        if (max <= 0xffffffffL) {
            do {
                value = Integer.toUnsignedLong(twister.nextInt()) & mask;
            } while (value > max);
        } else {
            do {
                long high = Integer.toUnsignedLong(twister.nextInt());
                long low = Integer.toUnsignedLong(twister.nextInt());
                value = ((high << 32) | low) & mask;
            } while (value > max);
        }
        return value;
    }
}
