package com.catvsnoncat.app;

import com.catvsnoncat.config.Defaults;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
     * Reads and merges every source. Fails with an {@link IllegalArgumentException} naming the culprit when the file
     * is missing or not a JSON object, or a variable or property cannot be used.
     */
    public static Future<JsonObject> load(Vertx vertx, Sources sources) {
        ConfigRetrieverOptions options = new ConfigRetrieverOptions()
                .setScanPeriod(0) // read once; a changed file takes effect on restart
                .addStore(new ConfigStoreOptions().setType("json").setConfig(defaults()));
        sources.file().ifPresent(file -> options.addStore(new ConfigStoreOptions()
                .setType("file").setFormat("json").setConfig(new JsonObject().put("path", file.toString()))));
        ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
        return retriever.getConfig()
                .eventually(retriever::close)
                .recover(failure -> Future.failedFuture(new IllegalArgumentException("cannot read the configuration"
                        + sources.file().map(file -> " file " + file).orElse("") + ": " + rootMessage(failure),
                        failure)))
                .map(fileConfig -> applyOverrides(fileConfig, sources));
    }

    private static JsonObject applyOverrides(JsonObject config, Sources sources) {
        EnvironmentOverrides overrides = new EnvironmentOverrides(config);
        return config
                .mergeIn(overrides.fromEnvironment(sources.environment()), true)
                .mergeIn(overrides.fromProperties(sources.properties()), true)
                .mergeIn(sources.overrides(), true);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
