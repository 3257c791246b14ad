package com.catvsnoncat.weather;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Reads a provider's JSON answer, turning every surprise into an {@link UpstreamException} with a short text. */
final class UpstreamJson {
    private UpstreamJson() {
    }

    /** The answer's body as a JSON object. */
    static JsonObject parse(Buffer body) {
        if (body == null || body.length() == 0) {
            throw UpstreamException.badResponse("empty body");
        }
        try {
            return body.toJsonObject();
        } catch (DecodeException | ClassCastException e) {
            throw UpstreamException.badResponse("malformed JSON");
        }
    }

    static JsonObject object(JsonObject json, String key) {
        if (json.getValue(key) instanceof JsonObject object) {
            return object;
        }
        throw missing(key);
    }

    static JsonObject firstObject(JsonObject json, String key) {
        if (json.getValue(key) instanceof JsonArray array && !array.isEmpty()
                && array.getValue(0) instanceof JsonObject first) {
            return first;
        }
        throw missing(key);
    }

    static Number number(JsonObject json, String key) {
        if (json.getValue(key) instanceof Number number) {
            return number;
        }
        throw missing(key);
    }

    private static UpstreamException missing(String key) {
        return UpstreamException.badResponse("no " + key);
    }
}
