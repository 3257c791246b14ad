package com.catvsnoncat.config;

import io.vertx.core.json.JsonObject;

/** Checks of configuration values, so a typo fails start-up with the section, key and value in the message. */
public final class ConfigValues {
    private ConfigValues() {
    }

    /** A whole number of at least {@code min}: "{section} config: {key} must be an integer >= {min}, got ...". */
    public static long integer(String section, JsonObject json, String key, long min) {
        return integer(section, json, key, min, Long.MAX_VALUE);
    }

    /** A whole number in min..max; the message names the range (or only min when there is no upper bound). */
    public static long integer(String section, JsonObject json, String key, long min, long max) {
        Object value = json.getValue(key);
        if (!(value instanceof Number number) || number.doubleValue() != number.longValue()
                || number.longValue() < min || number.longValue() > max) {
            String range = max == Long.MAX_VALUE ? ">= " + min : "in " + min + ".." + max;
            throw new IllegalArgumentException(section + " config: " + key + " must be an integer " + range
                    + ", got " + value);
        }
        return number.longValue();
    }
}
