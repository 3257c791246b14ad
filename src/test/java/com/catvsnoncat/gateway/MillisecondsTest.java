package com.catvsnoncat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The access lines' and Server-Timing's durations read exactly as the Formatter wrote them before
 * ({@code %.1f} and {@code %.3f} in an English locale), halves rounded up, for any count of nanoseconds.
 */
class MillisecondsTest {
    @Test
    void writesNanosecondsAsTheFormatterDid() {
        long[] edges = {0, 1, 49_999, 50_000, 149_999, 150_000, 250_000, 950_000, 999_999, 1_000_000, 9_950_000,
            99_950_000, 123_456_789, 3_600_000_000_000L};
        for (long nanos : edges) {
            assertThat(Milliseconds.ofNanos(nanos, 1)).as("%d ns", nanos)
                    .isEqualTo(String.format(Locale.ROOT, "%.1f", nanos / 1e6));
        }
        Random random = new Random(15);
        for (int i = 0; i < 100_000; i++) {
            long nanos = random.nextInt(5) == 0 ? random.nextInt(1000) * 50_000L : (long) (random.nextDouble() * 1e10);
            assertThat(Milliseconds.ofNanos(nanos, 1)).isEqualTo(String.format(Locale.ROOT, "%.1f", nanos / 1e6));
        }
    }

    @Test
    void writesMillisecondsWithThreeDecimalsAsTheFormatterDid() {
        double[] edges = {0, 0.0005, 0.0015, 0.0025, 1.2345, 12.5, 1e-7, 123456.7895, 2.675, 1e9};
        for (double millis : edges) {
            assertThat(Milliseconds.format(millis, 3)).as("%s ms", millis)
                    .isEqualTo(String.format(Locale.ROOT, "%.3f", millis));
        }
        Random random = new Random(16);
        for (int i = 0; i < 100_000; i++) {
            double millis = random.nextInt(3) == 0 ? random.nextInt(100_000) / 2000.0 : random.nextDouble() * 1e4;
            assertThat(Milliseconds.format(millis, 3)).isEqualTo(String.format(Locale.ROOT, "%.3f", millis));
        }
        assertThat(Milliseconds.format(Double.NaN, 3)).isEqualTo("NaN");
    }
}
