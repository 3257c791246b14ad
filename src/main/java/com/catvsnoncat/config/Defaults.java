package com.catvsnoncat.config;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The configuration's defaults: {@code config/defaults.json} in the jar, the one place every key is written. */
public final class Defaults {
    public static final String RESOURCE = "config/defaults.json";

    private Defaults() {
    }

    /** A fresh copy of every default, safe to change. */
    public static JsonObject all() {
        try (InputStream in = Defaults.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh copy of one section's defaults, e.g. "classifier". */
    public static JsonObject section(String name) {
        JsonObject section = all().getJsonObject(name);
        if (section == null) {
            throw new IllegalStateException(RESOURCE + " has no \"" + name + "\" section");
        }
        return section;
    }
}
