package com.catvsnoncat.gateway;

import static com.catvsnoncat.gateway.GatewayHarness.MODEL;
import static com.catvsnoncat.testing.ErrorBodies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.classifier.ClassifierApi;
import com.catvsnoncat.weather.WeatherApi;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Weather, model, health, request ids, headers and the documents. */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class ServiceRoutesTest {
    static final JsonObject WEATHER = new JsonObject()
            .put("cities", new JsonArray()
                    .add(new JsonObject().put("name", "Austin").put("temperature", 31.5).put("humidity", 40)
                            .put("condition", "Clear sky").put("icon", "clear").put("stale", false))
                    .add(new JsonObject().put("name", "Miami").put("error", "timed out")))
            .put("elapsedMs", 250).put("concurrency", 5).put("provider", "open-meteo");

    private GatewayHarness gateway;

    @BeforeEach
    void start(Vertx vertx) {
        gateway = GatewayHarness.start(vertx)
                .reply(WeatherApi.CURRENT, WEATHER)
                .reply(ClassifierApi.MODEL, MODEL)
                .reply(ClassifierApi.CLASSIFY, GatewayHarness.prediction());
    }

    @Test
    void forwardsTheWeatherAsTheServiceAnswers() {
        HttpResponse<Buffer> response = gateway.get("/api/weather").send().await();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsJsonObject()).isEqualTo(WEATHER);
        assertThat(gateway.lastMessage()).isEqualTo(new JsonObject());
    }

    @Test
    void passesTheChosenCitiesToTheWeatherService() {
        gateway.get("/api/weather?cities=Seattle,%20Miami").send().await();

        assertThat(gateway.lastMessage())
                .isEqualTo(new JsonObject().put("cities", new JsonArray().add("Seattle").add("Miami")));
    }

    @Test
    void answersTheModelMetadata() {
        HttpResponse<Buffer> response = gateway.get("/api/model").send().await();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsJsonObject()).isEqualTo(MODEL);
    }

    @Test
    void isLiveWithoutAskingAnyService() {
        for (String path : new String[] {"/health/live", "/v2/health/live"}) {
            HttpResponse<Buffer> response = gateway.get(path).send().await();
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.bodyAsJsonObject().getBoolean("live")).isTrue();
        }
        assertThat(gateway.received).isEmpty();
    }

    @Test
    void isReadyOnlyWhenTheClassifierSaysSo() {
        gateway.withStaticContent().serve(ClassifierApi.READY, message -> message.reply(new JsonObject()
                .put("ready", gateway.received.stream().filter(m -> m.address().equals(ClassifierApi.READY))
                        .count() > 1)
                .put("model", new JsonObject().put("name", "catvnoncat").put("version", "7"))));

        HttpResponse<Buffer> warming = gateway.get("/health/ready").send().await();
        HttpResponse<Buffer> ready = gateway.get("/v2/health/ready").send().await();

        assertThat(warming.statusCode()).isEqualTo(503);
        assertThat(warming.getHeader("Retry-After")).isEqualTo("1");
        assertThat(warming.bodyAsJsonObject().getString("error")).contains("warming up");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.bodyAsJsonObject().getBoolean("ready")).isTrue();
    }

    @Test
    void isNotReadyWithoutAClassifier() {
        HttpResponse<Buffer> response = gateway.withStaticContent().get("/health/ready").send().await();

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.bodyAsJsonObject().getBoolean("ready")).isFalse();
    }

    @Test
    void isNotReadyUntilThePageIsServed() {
        gateway.reply(ClassifierApi.READY, new JsonObject().put("ready", true));

        HttpResponse<Buffer> withoutPage = gateway.get("/health/ready").send().await();
        HttpResponse<Buffer> withPage = gateway.withStaticContent().get("/health/ready").send().await();

        assertThat(withoutPage.statusCode()).isEqualTo(503);
        assertThat(withoutPage.getHeader("Retry-After")).isEqualTo("1");
        assertThat(withoutPage.bodyAsJsonObject().getString("error")).contains("page is not served");
        assertThat(withPage.statusCode()).isEqualTo(200);
        assertThat(withPage.bodyAsJsonObject().getBoolean("ready")).isTrue();
    }

    @Test
    void isNotReadyOnceShuttingDown(Vertx vertx) {
        gateway.reply(ClassifierApi.READY, new JsonObject().put("ready", true));
        ServerState.of(vertx).startDraining();

        HttpResponse<Buffer> response = gateway.get("/health/ready").send().await();

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("shutting down");
    }

    @Test
    void echoesTheCallersRequestIdAndPassesItToTheService() {
        HttpResponse<Buffer> response = gateway.get("/api/model").putHeader("X-Request-Id", "abc-123").send()
                .await();

        assertThat(response.getHeader("X-Request-Id")).isEqualTo("abc-123");
        assertThat(gateway.received.get(0).headers().get("requestId")).isEqualTo("abc-123");
    }

    @Test
    void replacesAMissingOrUnsafeRequestId() {
        HttpResponse<Buffer> missing = gateway.get("/health/live").send().await();
        HttpResponse<Buffer> unsafe = gateway.get("/health/live").putHeader("X-Request-Id", "bad id\\nINFO forged")
                .send().await();

        assertThat(missing.getHeader("X-Request-Id")).matches("[0-9a-f-]{36}");
        assertThat(unsafe.getHeader("X-Request-Id")).matches("[0-9a-f-]{36}");
    }

    @Test
    void sendsSecurityHeadersOnApiAndPageAlike() {
        for (String path : new String[] {"/api/model", "/", "/no-such-page"}) {
            HttpResponse<Buffer> response = gateway.get(path).send().await();
            assertThat(response.getHeader("Content-Security-Policy")).as(path)
                    .contains("default-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline");
            assertThat(response.getHeader("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(response.getHeader("Referrer-Policy")).as(path).isEqualTo("no-referrer");
            assertThat(response.getHeader("X-Frame-Options")).as(path).isEqualTo("DENY");
        }
    }

    @Test
    void sendsNoCorsHeadersUnlessConfigured(Vertx vertx) {
        HttpResponse<Buffer> off = gateway.get("/api/model").putHeader("Origin", "https://elsewhere.example")
                .send().await();
        // Gateways of one Vert.x instance on port 0 share their port: only one may run at a time.
        vertx.undeploy(gateway.deploymentId).await();
        GatewayHarness cors = GatewayHarness.start(vertx, new JsonObject().put("http", new JsonObject()
                .put("port", 0).put("corsAllowedOrigins", new JsonArray().add("https://elsewhere.example"))));
        HttpResponse<Buffer> on = cors.get("/health/live").putHeader("Origin", "https://elsewhere.example")
                .send().await();

        assertThat(off.getHeader("Access-Control-Allow-Origin")).isNull();
        assertThat(on.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://elsewhere.example");
    }

    @Test
    void servesThePageAtTheRoot() {
        HttpResponse<Buffer> response = gateway.withStaticContent().get("/").send().await();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).startsWith("text/html");
    }

    @Test
    void answersUnknownApiPathsWithJson404() {
        assertError(gateway.withStaticContent().get("/api/nothing").send().await(), 404, "/api/nothing");
    }

    @Test
    void servesTheOpenApiDocumentDescribingEveryRoute() {
        HttpResponse<Buffer> response = gateway.get("/openapi.yaml").send().await();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsString()).startsWith("openapi: 3.").contains(
                "/api/classify:", "/api/explain:", "/api/weather:", "/api/model:", "/web/cat:", "/weather:",
                "/healthz-go:", "/v2:", "/v2/health/live:", "/v2/health/ready:", "/v2/models/{model}:",
                "/v2/models/{model}/ready:", "/v2/models/{model}/infer:", "/health/live:", "/health/ready:",
                "/metrics:", "/openapi.yaml:", "/admin/reload:");
    }

    @Test
    void saysMetricsAreOffWhenVertxRunsWithoutThem() {
        assertError(gateway.get("/metrics").send().await(), 404, "not enabled");
    }
}
