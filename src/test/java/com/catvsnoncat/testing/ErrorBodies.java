package com.catvsnoncat.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/** What a client sees of a refused request: the status and the error body, in our shape or the original's. */
public final class ErrorBodies {
    private ErrorBodies() {
    }

    /** Our API's errors: {@code {"error": "..."}} as JSON, nothing else. */
    public static void assertError(HttpResponse<Buffer> response, int status, String fragment) {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(response.bodyAsJsonObject().fieldNames()).containsExactly("error");
        assertThat(response.bodyAsJsonObject().getString("error")).contains(fragment);
    }

    /** The original page prints {@code "Error: " + status + ", " + response.data.message}. */
    public static void assertOriginalError(HttpResponse<Buffer> response, int status, String fragment) {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
        JsonObject body = response.bodyAsJsonObject();
        assertThat(body.fieldNames()).containsExactlyInAnyOrder("message", "error");
        assertThat(body.getString("message")).contains(fragment).isEqualTo(body.getString("error"));
    }
}
