package com.catvsnoncat.app;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns environment variables and Java system properties into configuration overrides. Only keys that exist in
 * the configuration can be set, so a name maps to exactly one key and the value is parsed to that key's type:
 *
 * <ul>
 *   <li>environment: {@code CATVSNONCAT_} + the key path with each camelCase word upper-cased and every level and
 *   word joined by {@code _}: {@code http.port} is {@code CATVSNONCAT_HTTP_PORT}, {@code classifier.modelPath} is
 *   {@code CATVSNONCAT_CLASSIFIER_MODEL_PATH}, {@code classifier.fetch.timeoutMs} is
 *   {@code CATVSNONCAT_CLASSIFIER_FETCH_TIMEOUT_MS};</li>
 *   <li>system properties: {@code catvsnoncat.} + the key path as written in the file ({@code -Dcatvsnoncat.http.port=9000},
 *   {@code -Dcatvsnoncat.classifier.modelPath=/models/m.npz}), case-insensitive.</li>
 * </ul>
 *
 * Numbers and booleans are parsed as such; objects and arrays are given as JSON text
 * ({@code CATVSNONCAT_HTTP_CORS_ALLOWED_ORIGINS='["https://example.com"]'}); anything else is a string.
 */
final class EnvironmentOverrides {
    static final String ENV_PREFIX = "CATVSNONCAT_";
    static final String PROPERTY_PREFIX = "catvsnoncat.";

    /** A key of the configuration, as its path of names, with the value it has so far (for its type). */
    private record Key(List<String> path, Object current) {
    }

    private final Map<String, Key> byEnvName = new LinkedHashMap<>();
    private final Map<String, Key> byPropertyName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    /** @param base the configuration being overridden: its keys are the ones that can be set */
    EnvironmentOverrides(JsonObject base) {
        collectKeys(base, new ArrayList<>());
    }

    /**
     * The overrides from environment variables: every {@code CATVSNONCAT_*} variable must name a key.
     *
     * @throws IllegalArgumentException naming the variable that is unknown or has a value of the wrong type
     */
    JsonObject fromEnvironment(Map<String, String> environment) {
        JsonObject overrides = new JsonObject();
        environment.forEach((name, value) -> {
            if (!name.startsWith(ENV_PREFIX)) {
                return;
            }
            Key key = byEnvName.get(name);
            if (key == null) {
                throw new IllegalArgumentException("environment variable " + name
                        + " names no configuration key (known: " + String.join(", ", byEnvName.keySet()) + ")");
            }
            put(overrides, key, parse(name, value, key.current()));
        });
        return overrides;
    }

    /**
     * The overrides from system properties. Unknown {@code catvsnoncat.*} properties are ignored: that name space is
     * shared with the JVM's command line (the test data set's location, for one).
     */
    JsonObject fromProperties(Map<String, String> properties) {
        JsonObject overrides = new JsonObject();
        properties.forEach((name, value) -> {
            if (name.regionMatches(true, 0, PROPERTY_PREFIX, 0, PROPERTY_PREFIX.length())) {
                Key key = byPropertyName.get(name);
                if (key != null) {
                    put(overrides, key, parse(name, value, key.current()));
                }
            }
        });
        return overrides;
    }

    /** The environment variable that sets the key at this path, e.g. {@code CATVSNONCAT_HTTP_PORT}. */
    static String envName(List<String> path) {
        StringBuilder name = new StringBuilder(ENV_PREFIX);
        for (int i = 0; i < path.size(); i++) {
            if (i > 0) {
                name.append('_');
            }
            name.append(path.get(i).replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
        }
        return name.toString();
    }

    private void collectKeys(JsonObject json, List<String> prefix) {
        for (String field : json.fieldNames()) {
            List<String> path = new ArrayList<>(prefix);
            path.add(field);
            Object value = json.getValue(field);
            Key key = new Key(List.copyOf(path), value);
            byEnvName.put(envName(path), key);
            byPropertyName.put(PROPERTY_PREFIX + String.join(".", path), key);
            if (value instanceof JsonObject nested) {
                collectKeys(nested, path);
            }
        }
    }

    private static Object parse(String name, String text, Object current) {
        try {
            if (current instanceof Boolean) {
                if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException("true or false");
                }
                return Boolean.parseBoolean(text);
            }
            if (current instanceof Integer || current instanceof Long) {
                return Long.parseLong(text.trim());
            }
            if (current instanceof Number) {
                return Double.parseDouble(text.trim());
            }
            if (current instanceof JsonObject) {
                return new JsonObject(text);
            }
            if (current instanceof JsonArray) {
                return new JsonArray(text);
            }
            return text;
        } catch (NumberFormatException | DecodeException | ClassCastException e) {
            throw new IllegalArgumentException(name + ": cannot use \"" + text + "\" where the configuration has "
                    + current, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": expected " + e.getMessage() + ", got \"" + text + "\"", e);
        }
    }

    private static void put(JsonObject overrides, Key key, Object value) {
        JsonObject parent = overrides;
        List<String> path = key.path();
        for (String name : path.subList(0, path.size() - 1)) {
            JsonObject child = parent.getJsonObject(name);
            if (child == null) {
                child = new JsonObject();
                parent.put(name, child);
            }
            parent = child;
        }
        parent.put(path.get(path.size() - 1), value);
    }
}
