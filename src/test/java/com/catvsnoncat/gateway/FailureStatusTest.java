package com.catvsnoncat.gateway;

import static com.catvsnoncat.testing.ErrorBodies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.bus.Failure;
import com.catvsnoncat.classifier.ClassifierApi;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A service's failure becomes the HTTP status its code stands for, with the service's words and no stack trace. */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class FailureStatusTest {

    @ParameterizedTest
    @EnumSource(Failure.class)
    void answersEachFailureCodeWithItsStatusAndMessage(Failure failure, Vertx vertx) {
        GatewayHarness gateway = GatewayHarness.start(vertx)
                .serve(ClassifierApi.CLASSIFY, message -> message.fail(failure.status(), "because " + failure));

        HttpResponse<Buffer> response = classify(gateway);

        assertError(response, failure.status(), "because " + failure);
        assertThat(response.getHeader("Retry-After")).isEqualTo(failure == Failure.UNAVAILABLE ? "1" : null);
    }

    @Test
    void answers503WithRetryAfterWhenNoClassifierIsRunning(Vertx vertx) {
        HttpResponse<Buffer> response = classify(GatewayHarness.start(vertx));

        assertError(response, 503, "not running");
        assertThat(response.getHeader("Retry-After")).isEqualTo("1");
    }

    @Test
    void answers504WhenTheClassifierDoesNotAnswerInTime(Vertx vertx) {
        GatewayHarness gateway = GatewayHarness.start(vertx, new JsonObject().put("http",
                        new JsonObject().put("busTimeoutMs", 200)))
                .serve(ClassifierApi.CLASSIFY, message -> { });

        assertError(classify(gateway), 504, "did not answer in time");
    }

    @Test
    void answers500WithoutDetailsForACodeNoServiceShouldUse(Vertx vertx) {
        GatewayHarness gateway = GatewayHarness.start(vertx)
                .serve(ClassifierApi.CLASSIFY, message -> message.fail(418, "secret internals"));

        HttpResponse<Buffer> response = classify(gateway);

        assertError(response, 500, "internal error");
        assertThat(response.bodyAsString()).doesNotContain("secret");
    }

    @Test
    void takesItsRetryAfterFromTheConfiguration(Vertx vertx) {
        GatewayHarness gateway = GatewayHarness.start(vertx, new JsonObject().put("http",
                        new JsonObject().put("retryAfterSeconds", 7)))
                .serve(ClassifierApi.CLASSIFY, message -> message.fail(503, "busy"));

        assertThat(classify(gateway).getHeader("Retry-After")).isEqualTo("7");
    }

    private static HttpResponse<Buffer> classify(GatewayHarness gateway) {
        return gateway.post("/api/classify").putHeader("Content-Type", "image/png")
                .sendBuffer(Buffer.buffer(GatewayHarness.PICTURE)).await();
    }
}
