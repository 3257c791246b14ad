package com.catvsnoncat.app;

import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.core.spi.JsonFactory;
import io.vertx.core.spi.json.JsonCodec;

/**
 * Vert.x's JSON (JsonObject, JsonArray) on Jackson's streaming core alone. Vert.x otherwise picks its databind codec
 * whenever jackson-databind is on the class path (a library may bring it), which loads some 450 classes at
 * the first encode: a measurable part of every start of {@code train} and {@code serve}. The app never maps objects
 * to or from JSON ({@code mapTo}, {@code mapFrom}), the one thing databind would add. Registered in
 * {@code META-INF/services/io.vertx.core.spi.JsonFactory}.
 */
public final class StreamingJsonFactory implements JsonFactory {
    @Override
    public JsonCodec codec() {
        return new JacksonCodec();
    }
}
