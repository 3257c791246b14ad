package com.catvsnoncat.gateway;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The "auth" section of the configuration: API keys, each known only by the SHA-256 of the key (a leaked
 * configuration or Secret gives away no key), and the token that guards {@code /metrics}.
 *
 * <p>Keys come from {@code auth.apiKeys} ({@code {"id": "sha256 hex"}}) and from the JSON file
 * {@code auth.apiKeysFile} of the same shape (a mounted Kubernetes Secret); an id names the key in logs and metric
 * labels. Access control is on when either source is configured, and then the keys must not be empty: a Secret
 * mounted empty by mistake fails the start rather than locking everyone out or letting everyone in.
 *
 * @param apiKeys          key id to the SHA-256 of the key; empty: the API is open
 * @param metricsTokenHash the SHA-256 of the token {@code /metrics} wants; empty: {@code /metrics} is open
 */
record AccessConfig(Map<String, byte[]> apiKeys, Optional<byte[]> metricsTokenHash) {
    static final String SECTION = "auth";
    /** Ids become metric label values and log fields: short and plain. */
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    AccessConfig {
        apiKeys = Map.copyOf(apiKeys);
    }

    boolean apiKeysRequired() {
        return !apiKeys.isEmpty();
    }

    /** Reads the section, and the keys file when one is named (a blocking read: call it off the event loop). */
    static AccessConfig from(JsonObject config) {
        JsonObject auth = config.getJsonObject(SECTION, new JsonObject());
        Map<String, byte[]> keys = new LinkedHashMap<>();
        Object inline = auth.getValue("apiKeys");
        if (inline != null && !(inline instanceof JsonObject)) {
            throw invalid("apiKeys must be an object {\"key id\": \"sha256 hex of the key\"}, got " + inline);
        }
        addKeys(keys, inline == null ? new JsonObject() : (JsonObject) inline, "apiKeys");
        Object file = auth.getValue("apiKeysFile");
        if (file != null) {
            if (!(file instanceof String path) || path.isBlank()) {
                throw invalid("apiKeysFile must be a file path, got " + file);
            }
            addKeys(keys, readKeysFile(Path.of(path)), "apiKeysFile " + path);
            if (keys.isEmpty()) {
                throw invalid("apiKeysFile " + path + " holds no keys; every request would be refused");
            }
        }
        Object token = auth.getValue("metricsTokenSha256");
        return new AccessConfig(keys, token == null ? Optional.empty()
                : Optional.of(sha256("metricsTokenSha256", token)));
    }

    private static JsonObject readKeysFile(Path file) {
        try {
            return new JsonObject(Files.readString(file));
        } catch (IOException e) {
            throw invalid("cannot read apiKeysFile " + file + ": " + e.getMessage());
        } catch (DecodeException | ClassCastException e) {
            throw invalid("apiKeysFile " + file + " must hold a JSON object {\"key id\": \"sha256 hex\"}");
        }
    }

    private static void addKeys(Map<String, byte[]> keys, JsonObject source, String where) {
        for (Map.Entry<String, Object> entry : source) {
            String id = entry.getKey();
            if (!KEY_ID.matcher(id).matches()) {
                throw invalid(where + ": key id \"" + id + "\" must be 1-64 letters, digits, '_', '.' or '-'");
            }
            if (keys.containsKey(id)) {
                throw invalid(where + ": key id \"" + id + "\" is configured twice");
            }
            byte[] hash = sha256(where + " \"" + id + "\"", entry.getValue());
            if (keys.values().stream().anyMatch(other -> Arrays.equals(other, hash))) {
                throw invalid(where + ": key id \"" + id + "\" has the same key as another id");
            }
            keys.put(id, hash);
        }
    }

    private static byte[] sha256(String what, Object value) {
        if (!(value instanceof String hex) || !SHA256_HEX.matcher(hex).matches()) {
            // Never echo the value: it may be a key pasted where its hash belongs.
            throw invalid(what + " must be the 64 hex digits of a SHA-256 (sha256sum of the key), not the key itself");
        }
        return HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
    }

    private static IllegalArgumentException invalid(String message) {
        return new IllegalArgumentException(SECTION + " config: " + message);
    }
}
