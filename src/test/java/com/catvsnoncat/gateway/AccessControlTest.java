package com.catvsnoncat.gateway;

import static com.catvsnoncat.gateway.GatewayHarness.sha256Hex;
import static com.catvsnoncat.testing.ErrorBodies.assertOriginalError;
import static com.catvsnoncat.testing.ErrorBodies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.BlockedThreads;
import com.catvsnoncat.app.MetricsVertx;
import com.catvsnoncat.classifier.ClassifierApi;
import com.catvsnoncat.weather.WeatherApi;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * API keys over HTTP, against a gateway with metrics on: which routes want a key, the two ways to send one, what a
 * refusal looks like, the per-key counter, and the metrics token.
 */
@Timeout(60)
class AccessControlTest {
    static final String ALICE_KEY = "alice-key-0123456789";
    static final String CI_KEY = "ci-key-9876543210";
    static final String METRICS_TOKEN = "scrape-token-42";

    private Vertx vertx;
    private GatewayHarness gateway;

    static JsonObject keysConfig() {
        return new JsonObject().put("alice", sha256Hex(ALICE_KEY)).put("ci", sha256Hex(CI_KEY));
    }

    @BeforeEach
    void start() {
        vertx = MetricsVertx.create(BlockedThreads.vertxOptions());
        gateway = GatewayHarness.start(vertx, new JsonObject().put("auth", new JsonObject()
                        .put("apiKeys", keysConfig())
                        .put("metricsTokenSha256", sha256Hex(METRICS_TOKEN).toUpperCase())))
                .reply(ClassifierApi.CLASSIFY, GatewayHarness.prediction())
                .reply(ClassifierApi.MODEL, new JsonObject().put("name", "catvnoncat").put("layers",
                        new JsonArray().add(12288).add(1))
                        .put("served", new JsonObject().put("name", "catvnoncat").put("version", "1"))
                        .put("versions", new JsonArray().add("1")))
                .reply(ClassifierApi.INFER, new JsonObject())
                .reply(ClassifierApi.READY, new JsonObject().put(ClassifierApi.READY_FLAG, true))
                .reply(WeatherApi.CURRENT, new JsonObject().put("cities", new JsonArray()));
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    private HttpResponse<Buffer> classify(HttpRequest<Buffer> request) {
        return request.putHeader("Content-Type", "image/png").sendBuffer(Buffer.buffer(GatewayHarness.PICTURE))
                .await();
    }

    @Test
    void refusesAClassificationWithoutAKeyBeforeAskingTheClassifier() {
        HttpResponse<Buffer> response = classify(gateway.post("/api/classify"));

        assertError(response, 401, "API key");
        assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer realm=\"catvsnoncat\"");
        assertThat(gateway.received).isEmpty();
    }

    @Test
    void refusesAWrongKeyWhicheverWayItIsSent() {
        assertError(classify(gateway.post("/api/classify").bearerTokenAuthentication(ALICE_KEY + "x")), 401, "API key");
        assertError(classify(gateway.post("/api/classify").putHeader("X-API-Key", ALICE_KEY.substring(1))), 401,
                "API key");
        // The hash itself is not a key: a leaked configuration gives no access.
        assertError(classify(gateway.post("/api/classify").bearerTokenAuthentication(sha256Hex(ALICE_KEY))), 401,
                "API key");
        assertThat(gateway.received).isEmpty();
    }

    @Test
    void acceptsAKeyAsABearerTokenOrInXApiKey() {
        HttpResponse<Buffer> bearer = classify(gateway.post("/api/classify").bearerTokenAuthentication(ALICE_KEY));
        HttpResponse<Buffer> header = classify(gateway.post("/api/classify").putHeader("X-API-Key", CI_KEY));

        assertThat(bearer.statusCode()).as(bearer.bodyAsString()).isEqualTo(200);
        assertThat(bearer.bodyAsJsonObject()).isEqualTo(GatewayHarness.prediction());
        assertThat(header.statusCode()).as(header.bodyAsString()).isEqualTo(200);
    }

    @Test
    void guardsEveryClassificationAndInferenceRouteButLeavesProbesAndThePageOpen() {
        gateway.withStaticContent();
        for (String path : new String[] {"/api/model", "/api/weather", "/v2/models/catvnoncat"}) {
            assertThat(gateway.get(path).send().await().statusCode()).as("GET " + path).isEqualTo(401);
            assertThat(gateway.get(path).putHeader("X-API-Key", CI_KEY).send().await().statusCode())
                    .as("GET " + path + " with a key").isEqualTo(200);
        }
        for (String path : new String[] {"/api/explain", "/v2/models/catvnoncat/infer", "/web/cat", "/weather"}) {
            assertThat(gateway.post(path).sendJsonObject(new JsonObject()).await().statusCode()).as("POST " + path)
                    .isEqualTo(401);
        }
        for (String path : new String[] {"/health/live", "/health/ready", "/v2/health/ready", "/v2",
                "/v2/models/catvnoncat/ready", "/openapi.yaml", "/"}) {
            assertThat(gateway.get(path).send().await().statusCode()).as("GET " + path).isEqualTo(200);
        }
    }

    @Test
    void refusesTheOriginalRoutesWithTheMessageTheOriginalPagePrints() {
        for (String path : new String[] {"/web/cat", "/weather"}) {
            assertOriginalError(gateway.post(path).sendJsonObject(new JsonObject()
                    .put("cat_url", "https://example.com/cat.jpg")).await(), 401, "API key");
        }
    }

    @Test
    void countsAcceptedRequestsPerKeyIdWithoutTheKey() {
        classify(gateway.post("/api/classify").bearerTokenAuthentication(ALICE_KEY));
        classify(gateway.post("/api/classify").bearerTokenAuthentication(ALICE_KEY));
        classify(gateway.post("/api/classify").putHeader("X-API-Key", "not a key"));

        String metrics = gateway.get("/metrics").bearerTokenAuthentication(METRICS_TOKEN).send().await()
                .bodyAsString();

        assertThat(metrics).contains("catvsnoncat_api_key_requests_total{key=\"alice\"} 2.0")
                .contains("catvsnoncat_api_key_requests_total{key=\"ci\"} 0.0")
                .doesNotContain(ALICE_KEY).doesNotContain(sha256Hex(ALICE_KEY)).doesNotContain("not a key");
    }

    @Test
    void metricsWantTheirOwnTokenNotAnApiKey() {
        HttpResponse<Buffer> none = gateway.get("/metrics").send().await();
        HttpResponse<Buffer> apiKey = gateway.get("/metrics").bearerTokenAuthentication(ALICE_KEY).send().await();
        HttpResponse<Buffer> token = gateway.get("/metrics").bearerTokenAuthentication(METRICS_TOKEN).send().await();

        assertError(none, 401, "metrics token");
        assertThat(none.getHeader("WWW-Authenticate")).isEqualTo("Bearer realm=\"catvsnoncat-metrics\"");
        assertError(apiKey, 401, "metrics token");
        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(token.bodyAsString()).contains("# TYPE");
    }
}
