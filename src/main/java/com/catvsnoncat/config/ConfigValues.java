package com.catvsnoncat.config;

import io.vertx.core.json.JsonObject;
import java.util.OptionalLong;

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
        return checked(section, key, json.getValue(key), min, max);
    }

    /**
     * Empty when the key is absent or null (the caller supplies what null means), otherwise a whole number in
     * min..max checked as {@link #integer(String, JsonObject, String, long, long)} does. The text of a whole number
     * is accepted too: a key whose default is null has no type for the environment variable or system property that
     * sets it to parse to, so such an override arrives as a string.
     */
    public static OptionalLong optionalInteger(String section, JsonObject json, String key, long min, long max) {
        Object value = json.getValue(key);
        if (value == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(checked(section, key, value instanceof String text ? number(text) : value, min, max));
    }

    private static long checked(String section, String key, Object value, long min, long max) {
        if (!(value instanceof Number number) || number.doubleValue() != number.longValue()
                || number.longValue() < min || number.longValue() > max) {
            String range = max == Long.MAX_VALUE ? ">= " + min : "in " + min + ".." + max;
            throw new IllegalArgumentException(section + " config: " + key + " must be an integer " + range
                    + ", got " + value);
        }
        return number.longValue();
    }

    /** The number the text spells, or the text itself (refused by {@link #checked}, which quotes it). */
    private static Object number(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return text;
        }
    }
}
