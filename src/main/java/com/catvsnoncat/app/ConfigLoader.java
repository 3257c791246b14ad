package com.catvsnoncat.app;

import com.catvsnoncat.config.Defaults;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Loads the application configuration, each source overriding the one before it (objects are merged key by key):
 * <ol>
 *   <li>{@code config/defaults.json} inside the jar: every key with its default;</li>
 *   <li>the JSON file given with {@code --config FILE}, if any (it must exist);</li>
 *   <li>environment variables {@code CATVSNONCAT_...};</li>
 *   <li>Java system properties {@code -Dcatvsnoncat....};</li>
 *   <li>the command line's own options ({@code --port}, {@code --model}).</li>
 * </ol>
 * See {@link EnvironmentOverrides} for the names of variables and properties.
 */
public final class ConfigLoader {

    /**
     * Where configuration comes from besides the defaults.
     *
     * @param file        a JSON configuration file
     * @param environment environment variables
     * @param properties  Java system properties
     * @param overrides   applied last, e.g. from command-line options
     */
    public record Sources(Optional<Path> file, Map<String, String> environment, Map<String, String> properties,
                          JsonObject overrides) {
        /** This process's environment and system properties. */
        public static Sources ofProcess(Optional<Path> file, JsonObject overrides) {
            Map<String, String> properties = new HashMap<>();
            System.getProperties().forEach((name, value) -> properties.put(name.toString(), value.toString()));
            return new Sources(file, System.getenv(), properties, overrides);
        }
    }

    private ConfigLoader() {
    }

    /** The defaults inside the jar. */
    public static JsonObject defaults() {
        return Defaults.all();
    }

    /**
     * Reads and merges every source, off the event loop. Fails with an {@link IllegalArgumentException} naming the
     * culprit when the file is missing or not a JSON object, or a variable or property cannot be used. The file is
     * read once (a change takes effect on restart), not with vertx-config: its store machinery cost ~60 ms of
     * start-up for a read and a merge.
     */
    public static Future<JsonObject> load(Vertx vertx, Sources sources) {
        return vertx.executeBlocking(() -> read(sources), false);
    }

    /**
     * The same as {@link #load}, on the calling thread: for {@code serve}, which needs the configuration before it
     * builds Vert.x (tracing is part of how Vert.x is built).
     */
    public static JsonObject read(Sources sources) {
        JsonObject file = sources.file().map(ConfigLoader::readFile).orElseGet(JsonObject::new);
        return applyOverrides(defaults().mergeIn(file, true), sources);
    }

    private static JsonObject readFile(Path file) {
        try {
            return jsonObject(Buffer.buffer(Files.readAllBytes(file)));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read the configuration file " + file + ": " + rootMessage(e),
                    e);
        }
    }

    /** The file's JSON object; a file that holds anything else is refused. */
    private static JsonObject jsonObject(Buffer content) {
        Object value = Json.decodeValue(content);
        if (!(value instanceof JsonObject object)) {
            throw new IllegalArgumentException("the file must hold one JSON object, found "
                    + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        return object;
    }

    private static JsonObject applyOverrides(JsonObject config, Sources sources) {
        EnvironmentOverrides overrides = new EnvironmentOverrides(config);
        return config
                .mergeIn(overrides.fromEnvironment(sources.environment()), true)
                .mergeIn(overrides.fromProperties(sources.properties()), true)
                .mergeIn(sources.overrides(), true);
    }

    /** What went wrong, in words an operator can act on. */
    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof NoSuchFileException) {
            return "no such file";
        }
        if (root instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (root instanceof JsonProcessingException json) {
            JsonLocation where = json.getLocation();
            return "not valid JSON" + (where == null ? "" : " (line " + where.getLineNr() + ", column "
                    + where.getColumnNr() + ")");
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
