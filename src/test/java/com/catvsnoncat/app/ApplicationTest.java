package com.catvsnoncat.app;

import static com.catvsnoncat.app.ApplicationTestConfig.png;
import static com.catvsnoncat.app.ApplicationTestConfig.smallModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.catvsnoncat.BlockedThreads;
import com.catvsnoncat.ReferenceData;
import com.catvsnoncat.model.ModelFile;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.io.IOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real application (gateway, page, weather, classifier with a small real model) on a free port, with metrics
 * on as in {@code serve}; the only upstreams are servers on 127.0.0.1.
 */
@Timeout(60)
class ApplicationTest {
    private static final long READY_DEADLINE_MS = 30_000;

    @TempDir
    static Path dir;
    private static Path modelFile;

    private Vertx vertx;
    private WebClient client;
    private HttpServer pictures;

    @BeforeEach
    void start() throws IOException {
        vertx = MetricsVertx.create(BlockedThreads.vertxOptions());
        client = WebClient.create(vertx);
        if (modelFile == null) {
            modelFile = dir.resolve("small.npz");
            ModelFile.write(modelFile, smallModel());
        }
        Buffer png = Buffer.buffer(png());
        pictures = vertx.createHttpServer()
                .requestHandler(request -> request.response().putHeader("Content-Type", "image/png").end(png))
                .listen(0, "127.0.0.1").await();
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    /** The defaults with a free port on 127.0.0.1, the small model, loopback fetches, no real weather upstream. */
    static JsonObject config(int port) {
        return ConfigLoader.defaults().mergeIn(new JsonObject()
                .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port).put("instances", 2))
                .put("classifier", new JsonObject().put("modelPath", modelFile.toString()).put("warmupRuns", 2)
                        .put("fetch", new JsonObject().put("allowLoopback", true)
                                .put("allowedPorts", new JsonArray())))
                .put("weather", new JsonObject().put("openMeteo",
                        new JsonObject().put("baseUrl", "http://127.0.0.1:9"))), true);
    }

    private Application startReady() {
        return startReady(config(0));
    }

    private Application startReady(JsonObject config) {
        Application app = Application.start(vertx, config).await();
        long deadline = System.currentTimeMillis() + READY_DEADLINE_MS;
        while (client.get(app.port(), "127.0.0.1", "/health/ready").send().await().statusCode() != 200) {
            assertThat(System.currentTimeMillis()).as("ready in time").isLessThan(deadline);
            vertx.timer(20).await();
        }
        return app;
    }

    @Test
    void servesThePageAndBootstrapWithoutWritingAFileCacheToDisk() throws IOException {
        Path cache = dir.resolve("vertx-cache");
        Vertx ownVertx = MetricsVertx.create(BlockedThreads.vertxOptions()
                .setFileSystemOptions(new FileSystemOptions().setFileCacheDir(cache.toString())));
        try {
            Application app = Application.start(ownVertx, config(0)).await();

            assertThat(client.get(app.port(), "127.0.0.1", "/").send().await().bodyAsString())
                    .contains("<title>Cat or not?</title>");
            assertThat(client.get(app.port(), "127.0.0.1", "/webjars/bootstrap/5.3.8/css/bootstrap.min.css")
                    .send().await().bodyAsString()).contains("Bootstrap  v5.3.8");
            // Vert.x would create vertx-cache-<uuid> beside the configured name; a read-only root refuses it.
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(file -> file.getFileName().toString()))
                        .noneMatch(name -> name.startsWith("vertx-cache"));
            }
        } finally {
            ownVertx.close().await();
        }
    }

    @Test
    void servesTheOriginalSystemsModelFileAndSaysWhereItCameFrom() throws IOException {
        JsonObject config = config(0);
        config.getJsonObject("classifier").put("modelPath", ReferenceData.originalModel().toString());
        Application app = startReady(config);

        JsonObject model = client.get(app.port(), "127.0.0.1", "/api/model").send().await().bodyAsJsonObject();
        JsonObject answer = client.post(app.port(), "127.0.0.1", "/api/classify")
                .putHeader("Content-Type", "image/png").sendBuffer(Buffer.buffer(png())).await().bodyAsJsonObject();

        assertThat(model.getJsonArray("layers")).containsExactly(12288, 20, 7, 5, 1);
        assertThat(model.getJsonObject("imported").getString("sha256")).hasSize(64);
        assertThat(answer.getJsonObject("model").getString("name")).isEqualTo("original");
    }

    @Test
    void classifiesAnUploadedPictureEndToEnd() throws IOException {
        Application app = startReady();

        HttpResponse<Buffer> response = client.post(app.port(), "127.0.0.1", "/api/classify")
                .putHeader("Content-Type", "image/png").sendBuffer(Buffer.buffer(png())).await();

        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        JsonObject body = response.bodyAsJsonObject();
        assertThat(body.getString("label")).isIn("cat", "non-cat");
        assertThat(body.getDouble("probability")).isBetween(0.0, 1.0);
        assertThat(body.getJsonObject("model")).isEqualTo(new JsonObject().put("name", "small-test")
                .put("version", "3"));
        assertThat(response.getHeader("Server-Timing")).contains("decode;dur=", "infer;dur=");
    }

    @Test
    void answersTheOriginalCatRouteForAPictureOnAServer() {
        Application app = startReady();
        String url = "http://127.0.0.1:" + pictures.actualPort() + "/pets/kitten.png";

        JsonObject body = client.post(app.port(), "127.0.0.1", "/web/cat")
                .sendJsonObject(new JsonObject().put("cat_url", url)).await().bodyAsJsonObject();

        assertThat(body.getString("cat_url")).isEqualTo(url);
        assertThat(body.getString("python_msg")).matches("2-layer model predicts a \"(cat|non-cat)\" : kitten\\.png");
    }

    @Test
    void infersAnOpenInferenceProtocolBatch() {
        Application app = startReady();
        JsonArray data = new JsonArray();
        for (int i = 0; i < 2 * 64 * 64 * 3; i++) {
            data.add(i % 256);
        }
        JsonObject request = new JsonObject().put("id", "a").put("inputs", new JsonArray().add(new JsonObject()
                .put("name", "input").put("shape", new JsonArray().add(2).add(64).add(64).add(3))
                .put("datatype", "UINT8").put("data", data)));

        HttpResponse<Buffer> response = client.post(app.port(), "127.0.0.1", "/v2/models/catvnoncat/infer")
                .sendJsonObject(request).await();

        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        JsonObject body = response.bodyAsJsonObject();
        assertThat(body.getString("model_version")).isEqualTo("3");
        assertThat(body.getJsonArray("outputs").getJsonObject(0).getJsonArray("data")).hasSize(2);
    }

    @Test
    void exportsHttpLatencyHistogramsAfterARequest() {
        Application app = startReady();
        client.get(app.port(), "127.0.0.1", "/api/model").send().await();

        String metrics = client.get(app.port(), "127.0.0.1", "/metrics").send().await().bodyAsString();

        assertThat(metrics).contains("vertx_http_server_response_time_seconds_bucket{")
                .containsPattern("vertx_http_server_response_time_seconds_bucket\\{[^}]*route=\"/api/model\"")
                .contains("catvsnoncat_model_info");
    }

    @Test
    void exportsTheJvmsMetricsFromTheFirstScrapeThoughNotBoundAtStart() {
        Application app = startReady();
        MeterRegistry registry = BackendRegistries.getDefaultNow();
        assertThat(registry.find("jvm.memory.used").gauges()).as("bound before the first scrape").isEmpty();

        String metrics = client.get(app.port(), "127.0.0.1", "/metrics").send().await().bodyAsString();

        assertThat(metrics).contains("jvm_memory_used_bytes{", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                "jvm_gc_memory_allocated_bytes_total", "jvm_info{", "process_cpu_usage", "process_uptime_seconds");
        assertThat(client.get(app.port(), "127.0.0.1", "/metrics").send().await().bodyAsString()
                .lines().filter(line -> line.startsWith("jvm_memory_used_bytes{")).count())
                .as("bound once: the second scrape has the same series").isEqualTo(metrics.lines()
                        .filter(line -> line.startsWith("jvm_memory_used_bytes{")).count());
    }

    @Test
    void keepsInventedMethodsOutOfTheMetricsSoTheSeriesStopGrowing() {
        Application app = startReady();
        HttpClient http = vertx.createHttpClient();
        for (int i = 0; i < 40; i++) {
            HttpMethod invented = HttpMethod.valueOf("QWERTY" + i);
            int status = http.request(new RequestOptions().setMethod(invented).setHost("127.0.0.1")
                    .setPort(app.port()).setURI("/x" + i)).compose(request -> request.send())
                    .map(HttpClientResponse::statusCode).await();
            assertThat(status).isBetween(400, 499);
            if (i == 1) {
                assertThat(client.get(app.port(), "127.0.0.1", "/metrics").send().await().bodyAsString()).as("a")
                        .contains("method=\"other\"");
            }
        }
        String before = client.get(app.port(), "127.0.0.1", "/metrics").send().await().bodyAsString();
        http.request(new RequestOptions().setMethod(HttpMethod.valueOf("ZZZZZZ")).setHost("127.0.0.1")
                .setPort(app.port()).setURI("/y")).compose(request -> request.send()).await();
        String after = client.get(app.port(), "127.0.0.1", "/metrics").send().await().bodyAsString();

        assertThat(after).doesNotContain("QWERTY").doesNotContain("ZZZZZZ").contains("method=\"other\"");
        assertThat(series(after)).isEqualTo(series(before));
    }

    private static long series(String metrics) {
        return metrics.lines().filter(line -> !line.startsWith("#")).count();
    }

    @Test
    void countsRefusedPictureUrlsByReasonInMetrics() {
        Application app = startReady();

        HttpResponse<Buffer> refused = client.post(app.port(), "127.0.0.1", "/api/classify")
                .sendJsonObject(new JsonObject().put("url", "file:///etc/passwd")).await();
        String metrics = client.get(app.port(), "127.0.0.1", "/metrics").send().await().bodyAsString();

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.bodyAsJsonObject().getString("error")).contains("only http and https");
        assertThat(metrics).contains("catvsnoncat_image_fetch_refusals_total{reason=\"scheme\"} 1.0");
    }

    @Test
    void answers504WhenAPictureUrlOutlivesTheRequestDeadline() {
        HttpServer silent = vertx.createHttpServer().requestHandler(request -> { }).listen(0, "127.0.0.1").await();
        JsonObject config = config(0);
        config.getJsonObject("classifier").put("deadlineMs", 300);
        Application app = Application.start(vertx, config).await();

        HttpResponse<Buffer> late = client.post(app.port(), "127.0.0.1", "/api/classify")
                .sendJsonObject(new JsonObject().put("url", "http://127.0.0.1:" + silent.actualPort() + "/cat.png"))
                .await();

        assertThat(late.statusCode()).isEqualTo(504);
        assertThat(late.bodyAsJsonObject().getString("error")).contains("longer than 300 ms");
    }

    @Test
    void closingFailsReadinessAtOnceAndThenStopsListening() {
        Application app = startReady();
        int port = app.port();

        var closing = app.close();
        HttpResponse<Buffer> readiness = client.get(port, "127.0.0.1", "/health/ready").send()
                .otherwiseEmpty().await();
        closing.await();

        if (readiness != null) { // the server may already have stopped taking connections
            assertThat(readiness.statusCode()).isEqualTo(503);
        }
        assertThat(vertx.deploymentIDs()).isEmpty();
        // A new connection, not the pooled one the readiness request may have left (that one fails as "closed").
        WebClient fresh = WebClient.create(vertx, new WebClientOptions().setKeepAlive(false));
        assertThatThrownBy(() -> fresh.get(port, "127.0.0.1", "/health/live").send().await())
                .hasMessageContaining("Connection refused");
    }

    @Test
    void failsToStartOnATakenPortLeavingNothingDeployed() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> Application.start(vertx, config(taken.getLocalPort())).await())
                    .isInstanceOf(BindException.class);
        }
        assertThat(vertx.deploymentIDs()).isEmpty();
    }
}
