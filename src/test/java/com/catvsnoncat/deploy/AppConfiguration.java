package com.catvsnoncat.deploy;

import com.catvsnoncat.app.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration the app runs with in a rendered pod: the defaults in the jar, then the ConfigMap's file, then
 * the container's environment, merged by the app's own {@link ConfigLoader} (which also refuses a
 * {@code CATVSNONCAT_*} variable that names no key).
 */
final class AppConfiguration {
    private AppConfiguration() {
    }

    /** The sources of a rendered pod's configuration, with the config file written into {@code workDir}. */
    static ConfigLoader.Sources sources(Rendered rendered, Map<String, String> environment, Path workDir,
                                        JsonObject overrides) {
        Path file = workDir.resolve("config.json");
        try {
            Files.writeString(file, rendered.appConfigFile().encodePrettily());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ConfigLoader.Sources(Optional.of(file), environment, Map.of(), overrides);
    }

    /** The merged configuration of the rendered pod. */
    static JsonObject effective(Rendered rendered, Path workDir) {
        Vertx vertx = Vertx.vertx();
        try {
            return ConfigLoader.load(vertx, sources(rendered, rendered.appEnvironment(), workDir, new JsonObject()))
                    .await();
        } finally {
            vertx.close().await();
        }
    }
}
