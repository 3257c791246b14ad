package com.catvsnoncat.gateway;

import com.catvsnoncat.classifier.ClassifierApi;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.HttpException;

/**
 * Turns the body of a classify or explain request into the classifier's message: {@code {"url"}} from a JSON
 * document, {@code {"image": bytes}} from a picture or a multipart file field. Only the shape of the request is
 * checked here; whether the bytes are a picture is the classifier's call.
 */
final class ImageRequests {
    static final String JSON = "application/json";
    static final String OCTET_STREAM = "application/octet-stream";
    static final String MULTIPART = "multipart/form-data";
    private static final String IMAGE_TYPES = "image/";

    private ImageRequests() {
    }

    /** Whether a picture route takes this media type (Content-Type without parameters, lower case). */
    static boolean accepted(String mediaType) {
        return mediaType.equals(JSON) || mediaType.startsWith(IMAGE_TYPES) || mediaType.equals(OCTET_STREAM)
                || mediaType.equals(MULTIPART);
    }

    /** @throws HttpException 400 when the body is not what its Content-Type promises */
    static JsonObject toMessage(ImageBody.Content content) {
        if (content.mediaType().equals(JSON)) {
            return new JsonObject().put(ClassifierApi.URL, urlOf(parseObject(content)));
        }
        if (content.bytes().length() == 0) {
            throw ErrorResponses.badRequest(content.multipart() ? "the file field \"" + ImageBody.FIELD + "\" is empty"
                    : "the request body is empty; send the picture's bytes");
        }
        return new JsonObject().put(ClassifierApi.IMAGE, content.bytes().getBytes());
    }

    static JsonObject parseObject(ImageBody.Content content) {
        return BoundedJson.CONTROL.parseObject(content.bytes());
    }

    private static String urlOf(JsonObject json) {
        if (!(json.getValue(ClassifierApi.URL) instanceof String url) || url.isBlank()) {
            throw ErrorResponses.badRequest("expected {\"url\": \"https://...\"}");
        }
        return url.trim();
    }
}
