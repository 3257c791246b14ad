package com.catvsnoncat.gateway;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Durations in milliseconds as text with a fixed number of decimals, rounded half up, as
 * {@code String.format(Locale.ROOT, "%.3f", millis)} writes them, for the lines and headers written with every
 * request. Without a {@link java.util.Formatter}: on Java 17 each {@code %f} sets up the locale's decimal symbols
 * anew, several microseconds per call.
 */
final class Milliseconds {
    private static final double NANOS_PER_MILLI = 1e6;

    private Milliseconds() {
    }

    /** {@code nanos} as milliseconds with {@code decimals} decimals. */
    static String ofNanos(long nanos, int decimals) {
        return format(nanos / NANOS_PER_MILLI, decimals);
    }

    /** @param millis finite, or written as the Formatter writes it */
    static String format(double millis, int decimals) {
        if (!Double.isFinite(millis)) {
            return String.format(Locale.ROOT, "%." + decimals + "f", millis);
        }
        // The shortest decimal that reads back as the double, as the Formatter rounds it.
        return BigDecimal.valueOf(millis).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    }
}
