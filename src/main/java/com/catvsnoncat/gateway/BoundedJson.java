package com.catvsnoncat.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.HttpException;
import java.io.IOException;

/**
 * Parses a small JSON control body (a URL to classify, a model path) into a {@link JsonObject} under bounds on its
 * size, nesting depth and number of values, so what the parsed tree costs is bounded by what the route needs, not
 * by how many bytes the body budget let through: a few MiB of {@code [{},{},...]} parse into tens of MiB of objects.
 * One streaming pass builds the tree and counts as it goes; a duplicate key or anything after the document is a 400.
 *
 * @param maxBytes    largest body (413 beyond)
 * @param maxDepth    deepest nesting of objects and arrays, the document itself being depth 1
 * @param maxElements most values in the whole document (every member and array element counts, nested ones too)
 */
record BoundedJson(int maxBytes, int maxDepth, int maxElements) {
    /** What a picture request by URL or an admin request needs, with room for long URLs and a few extra fields. */
    static final BoundedJson CONTROL = new BoundedJson(16 * 1024, 8, 64);

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * @throws HttpException 413 when the body is above {@link #maxBytes}, 400 when it is not one JSON object within
     *                       the bounds (the message says which)
     */
    JsonObject parseObject(Buffer body) {
        if (body.length() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try (JsonParser parser = JSON.createParser(body.getBytes())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ErrorResponses.badRequest("the body is not a JSON object");
            }
            Counter counter = new Counter();
            JsonObject object = object(parser, counter, 1);
            if (parser.nextToken() != null) {
                throw ErrorResponses.badRequest("the body has more after its JSON object");
            }
            return object;
        } catch (JsonProcessingException e) {
            throw ErrorResponses.badRequest("the body is not a JSON object (" + (e.getMessage() != null
                    && e.getMessage().startsWith("Duplicate field") ? "a key appears twice)" : "it does not parse)"));
        } catch (IOException e) {
            throw ErrorResponses.badRequest("the body is not a JSON object (it does not parse)");
        }
    }

    /** A 413 that names the limit that applies, not the general body limit. */
    static HttpException tooLarge(long limitBytes) {
        return new HttpException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code(),
                "the request body is larger than the limit of " + ErrorResponses.readableSize(limitBytes)
                        + " for this route");
    }

    private JsonObject object(JsonParser parser, Counter counter, int depth) throws IOException {
        checkDepth(depth);
        JsonObject object = new JsonObject();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            parser.nextToken();
            object.put(key, value(parser, counter, depth));
        }
        return object;
    }

    private JsonArray array(JsonParser parser, Counter counter, int depth) throws IOException {
        checkDepth(depth);
        JsonArray array = new JsonArray();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            array.add(value(parser, counter, depth));
        }
        return array;
    }

    private Object value(JsonParser parser, Counter counter, int depth) throws IOException {
        if (++counter.values > maxElements) {
            throw ErrorResponses.badRequest("the JSON body has more than " + maxElements + " values");
        }
        return switch (parser.currentToken()) {
            case START_OBJECT -> object(parser, counter, depth + 1);
            case START_ARRAY -> array(parser, counter, depth + 1);
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_NULL -> null;
            default -> throw ErrorResponses.badRequest("the body is not a JSON object (it does not parse)");
        };
    }

    private void checkDepth(int depth) {
        if (depth > maxDepth) {
            throw ErrorResponses.badRequest("the JSON body is nested deeper than " + maxDepth + " levels");
        }
    }

    /** Values seen so far in the document. */
    private static final class Counter {
        private int values;
    }
}
