package com.catvsnoncat.nn;

/**
 * The random streams of numpy's legacy {@code np.random.seed(s)} / {@code np.random.randn}, reproduced exactly
 * so that a seed gives the reference implementation's initial weights.
 *
 * <p>The generator is MT19937 seeded as numpy seeds it with an integer (init_genrand on the unsigned 32-bit seed). On
 * top of it, numpy builds a 53-bit double from two 32-bit outputs (27 + 26 bits), and its legacy normal is the
 * Marsaglia polar method returning the second value of each pair first and caching the other.
 *
 * <p>The 624 words of state are regenerated in a method of their own, called once every 624 outputs, so that the
 * methods drawing numbers stay small: with Commons Math's {@code MersenneTwister}, whose {@code next} holds the
 * regeneration loops, C2 inlined them into every call of it, and compiling {@link #nextDouble} and
 * {@link #nextGaussian} (which initialise the reference's 245,760 weights) was the JIT's largest work in a training
 * run. Commons Math also seeds from the sign-extended int, which for seeds of 2^31 and above is not numpy's stream.
 */
public final class NumpyRandom {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] state = new int[N];
    /** The next word of {@link #state} to temper and return; N once all are used. */
    private int next;
    private double cachedGaussian;
    private boolean hasCachedGaussian;

    public NumpyRandom(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("seed must be between 0 and 2^32 - 1, as numpy requires, got " + seed);
        }
        // init_genrand: 32-bit unsigned arithmetic, which int multiplication and addition are modulo 2^32.
        state[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            int previous = state[i - 1];
            state[i] = 1812433253 * (previous ^ (previous >>> 30)) + i;
        }
        next = N;
    }

    /** The next 32 random bits (genrand_int32), as an int. */
    private int nextInt() {
        if (next >= N) {
            regenerate();
        }
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        return y ^ (y >>> 18);
    }

    private void regenerate() {
        int[] mt = state;
        int k = 0;
        for (; k < N - M; k++) {
            int y = (mt[k] & UPPER_MASK) | (mt[k + 1] & LOWER_MASK);
            mt[k] = mt[k + M] ^ (y >>> 1) ^ ((y & 1) * MATRIX_A);
        }
        for (; k < N - 1; k++) {
            int y = (mt[k] & UPPER_MASK) | (mt[k + 1] & LOWER_MASK);
            mt[k] = mt[k + (M - N)] ^ (y >>> 1) ^ ((y & 1) * MATRIX_A);
        }
        int y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
        mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) * MATRIX_A);
        next = 0;
    }

    /** numpy's random_sample(): uniform on [0, 1) with 53 random bits. */
    public double nextDouble() {
        int a = nextInt() >>> 5;
        int b = nextInt() >>> 6;
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
                value = Integer.toUnsignedLong(nextInt()) & mask;
            } while (value > max);
        } else {
            do {
                long high = Integer.toUnsignedLong(nextInt());
                long low = Integer.toUnsignedLong(nextInt());
                value = ((high << 32) | low) & mask;
            } while (value > max);
        }
        return value;
    }
}
