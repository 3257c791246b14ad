package com.catvsnoncat.gateway;

import static com.catvsnoncat.testing.ErrorBodies.assertOriginalError;
import static com.catvsnoncat.testing.ErrorBodies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.classifier.ClassifierApi;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The small JSON bodies (a URL to classify, a model path to load) are bounded by what they cost once parsed: size,
 * depth and number of values, on every route that takes one; a duplicate key or trailing content is refused too.
 * Nothing refused reaches a service.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class ControlBodiesTest {
    private static final List<String> URL_ROUTES = List.of("/api/classify", "/api/explain", "/web/cat");

    private GatewayHarness gateway;

    @BeforeEach
    void start(Vertx vertx) {
        gateway = GatewayHarness.start(vertx, new JsonObject().put("admin", new JsonObject().put("token", "t")))
                .reply(ClassifierApi.CLASSIFY, GatewayHarness.prediction())
                .reply(ClassifierApi.EXPLAIN, GatewayHarness.prediction())
                .reply(ClassifierApi.MODEL, new JsonObject())
                .reply(ClassifierApi.RELOAD, new JsonObject().put("reloaded", true));
    }

    /** The original route's errors also carry the "message" its page prints. */
    private static void assertRefused(String path, HttpResponse<Buffer> response, int status, String fragment) {
        if (path.equals("/web/cat")) {
            assertOriginalError(response, status, fragment);
        } else {
            assertError(response, status, fragment);
        }
    }

    private HttpResponse<Buffer> post(String path, String body) {
        return gateway.post(path).putHeader("Content-Type", "application/json").putHeader("Authorization", "Bearer t")
                .sendBuffer(Buffer.buffer(body)).await();
    }

    @Test
    void refusesAJsonBodyThatWouldExpandWhenParsed() {
        String emptyObjects = "{\"url\":\"https://example.com/a.jpg\",\"a\":[" + "{},".repeat(6000) + "{}]}";
        for (String path : URL_ROUTES) {
            assertRefused(path, post(path, emptyObjects), 413, "limit of 16 KiB for this route");
            assertRefused(path, post(path, "{\"url\":\"https://example.com/a.jpg\",\"a\":[" + "0,".repeat(100) + "0]}"),
                    400, "more than 64 values");
            assertRefused(path, post(path, "{\"a\":" + "[".repeat(20) + "]".repeat(20) + "}"), 400, "deeper than 8");
        }
        assertThat(gateway.received).isEmpty();
    }

    @Test
    void refusesDuplicateKeysAndTrailingContent() {
        for (String path : URL_ROUTES) {
            String field = path.equals("/web/cat") ? "cat_url" : "url";
            String one = "{\"" + field + "\":\"https://example.com/a.jpg\"}";
            assertRefused(path, post(path, one.replace("}", ",\"" + field + "\":\"https://example.com/b.jpg\"}")), 400,
                    "a key appears twice");
            assertRefused(path, post(path, one + "{}"), 400, "more after its JSON object");
            assertRefused(path, post(path, one + "x"), 400, "does not parse");
        }
        assertThat(gateway.received).isEmpty();
    }

    @Test
    void takesAnOrdinaryUrlOnEveryRoute() {
        assertThat(post("/api/classify", "{\"url\":\"https://example.com/a.jpg\"}").statusCode()).isEqualTo(200);
        assertThat(post("/web/cat", "{\"cat_url\":\"https://example.com/a.jpg\"}").statusCode()).isEqualTo(200);
        assertThat(post("/admin/reload", "{\"path\":\"/models/m.npz\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void namesTheAdminRoutesOwnLimit() {
        assertError(post("/admin/reload", "{\"path\":\"" + "m".repeat(5000) + "\"}"), 413, "limit of 4 KiB");
        assertError(post("/admin/reload", "{\"path\":[[[]]]}"), 400, "deeper than 2");
        assertThat(gateway.received).isEmpty();
    }
}
