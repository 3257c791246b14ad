package com.catvsnoncat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.catvsnoncat.BlockedThreads;
import com.catvsnoncat.data.ImagePreprocessor;
import com.catvsnoncat.gateway.GrpcClient;
import com.catvsnoncat.grpc.v2.GRPCInferenceServiceGrpc;
import com.catvsnoncat.grpc.v2.InferStatistics;
import com.catvsnoncat.grpc.v2.ModelReadyRequest;
import com.catvsnoncat.grpc.v2.ModelStatistics;
import com.catvsnoncat.grpc.v2.ModelStatisticsRequest;
import com.catvsnoncat.grpc.v2.ModelStatisticsResponse;
import com.catvsnoncat.grpc.v2.RepositoryIndexRequest;
import com.catvsnoncat.grpc.v2.RepositoryIndexResponse;
import com.catvsnoncat.grpc.v2.RepositoryModelLoadRequest;
import com.catvsnoncat.grpc.v2.RepositoryModelUnloadRequest;
import com.catvsnoncat.model.Model;
import com.catvsnoncat.model.ModelFile;
import com.catvsnoncat.testing.RandomModels;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model repository as a Triton or KServe user meets it, through the real application: a directory of models
 * and versions, served by name and version over the Open Inference Protocol and the page's API, new versions
 * picked up by polling while requests flow, a version that does not load reported, and the repository extension.
 */
@Timeout(120)
class ModelRepositoryTest {
    private static final String TOKEN = "repository-test-token";
    private static final long DEADLINE_MS = 30_000;

    @TempDir
    Path repository;
    @TempDir
    Path scratch;

    private Vertx vertx;
    private WebClient client;
    private Application app;
    private byte[] png;

    @BeforeEach
    void start() throws IOException {
        vertx = MetricsVertx.create(BlockedThreads.vertxOptions());
        client = WebClient.create(vertx);
        png = ApplicationTestConfig.png();
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    /** The defaults on a free port, this test's repository polled every 50 ms, the admin token set. */
    private JsonObject config(JsonObject repositorySettings) {
        return ConfigLoader.defaults().mergeIn(new JsonObject()
                .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                .put("admin", new JsonObject().put("token", TOKEN))
                .put("classifier", new JsonObject().put("warmupRuns", 1).put("repository", new JsonObject()
                        .put("path", repository.toString()).put("pollMs", 50).mergeIn(repositorySettings)))
                .put("weather", new JsonObject().put("openMeteo",
                        new JsonObject().put("baseUrl", "http://127.0.0.1:9"))), true);
    }

    /** Writes the version's file beside it and moves it in, as a volume or a sidecar would: never half-written. */
    private Model put(String name, long version, long seed) throws IOException {
        Model model = RandomModels.pixelModel(name, "file-" + seed, new Random(seed), 0.05);
        Path file = scratch.resolve(name + "-" + version + ".npz");
        ModelFile.write(file, model);
        Path dir = Files.createDirectories(repository.resolve(name).resolve(Long.toString(version)));
        Files.move(file, dir.resolve("model.npz"), StandardCopyOption.ATOMIC_MOVE);
        return model;
    }

    private double expected(Model model) {
        return model.predict(new ImagePreprocessor().toInputVector(png));
    }

    private HttpResponse<Buffer> get(String path) {
        return client.get(app.port(), "127.0.0.1", path).send().await();
    }

    private HttpResponse<Buffer> admin(String path) {
        return client.post(app.port(), "127.0.0.1", path).bearerTokenAuthentication(TOKEN).send().await();
    }

    private JsonObject classify(String query) {
        HttpResponse<Buffer> response = client.post(app.port(), "127.0.0.1", "/api/classify" + query)
                .putHeader("Content-Type", "image/png").sendBuffer(Buffer.buffer(png)).await();
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        return response.bodyAsJsonObject();
    }

    /** An OIP inference with the picture as a BYTES input (base64 of the PNG). */
    private JsonObject infer(String path) {
        JsonObject request = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "image")
                .put("datatype", "BYTES").put("shape", new JsonArray().add(1))
                .put("data", new JsonArray().add(Base64.getEncoder().encodeToString(png)))));
        HttpResponse<Buffer> response = client.post(app.port(), "127.0.0.1", path).sendJsonObject(request).await();
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        return response.bodyAsJsonObject();
    }

    private static double probability(JsonObject inferResponse) {
        return inferResponse.getJsonArray("outputs").getJsonObject(0).getJsonArray("data").getDouble(0);
    }

    /** Polls {@code path} until its answer passes {@code test}. */
    private HttpResponse<Buffer> await(String path, Predicate<HttpResponse<Buffer>> test) {
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (true) {
            HttpResponse<Buffer> response = get(path);
            if (test.test(response)) {
                return response;
            }
            assertThat(System.currentTimeMillis()).as(path + " in time, last: " + response.bodyAsString())
                    .isLessThan(deadline);
            vertx.timer(20).await();
        }
    }

    private static Predicate<HttpResponse<Buffer>> versions(String... labels) {
        return response -> response.statusCode() == 200
                && response.bodyAsJsonObject().getJsonArray("versions").equals(new JsonArray(List.of(labels)));
    }

    @Test
    void servesEveryModelAndVersionByNameAndVersion() throws IOException {
        Model alpha1 = put("alpha", 1, 1);
        Model alpha2 = put("alpha", 2, 2);
        Model beta = put("beta", 1, 3);
        app = RunningApplication.startReady(vertx, config(new JsonObject().put("defaultModel", "alpha")
                .put("versionPolicies", new JsonObject().put("alpha", new JsonObject().put("all", true)))), client);

        JsonObject metadata = get("/v2/models/alpha").bodyAsJsonObject();
        assertThat(metadata.getString("name")).isEqualTo("alpha");
        assertThat(metadata.getJsonArray("versions")).isEqualTo(new JsonArray().add("1").add("2"));
        JsonObject highest = infer("/v2/models/alpha/infer");
        assertThat(highest.getString("model_name")).isEqualTo("alpha");
        assertThat(highest.getString("model_version")).isEqualTo("2");
        assertThat(probability(highest)).isCloseTo(expected(alpha2), within(1e-12));
        JsonObject first = infer("/v2/models/alpha/versions/1/infer");
        assertThat(first.getString("model_version")).isEqualTo("1");
        assertThat(probability(first)).isCloseTo(expected(alpha1), within(1e-12));
        assertThat(get("/v2/models/alpha/versions/1/ready").statusCode()).isEqualTo(200);
        assertThat(get("/v2/models/alpha/versions/1").bodyAsJsonObject().getString("name")).isEqualTo("alpha");

        JsonObject byDefault = classify("");
        assertThat(byDefault.getJsonObject("served")).isEqualTo(new JsonObject().put("name", "alpha")
                .put("version", "2"));
        JsonObject chosen = classify("?model=beta");
        assertThat(chosen.getJsonObject("served")).isEqualTo(new JsonObject().put("name", "beta").put("version", "1"));
        assertThat(chosen.getJsonObject("model").getString("version")).isEqualTo("file-3");
        assertThat(chosen.getDouble("probability")).isCloseTo(expected(beta), within(1e-12));
        assertThat(classify("?model=alpha&version=1").getDouble("probability"))
                .isCloseTo(expected(alpha1), within(1e-12));

        assertThat(get("/v2/models/gamma").statusCode()).isEqualTo(404);
        assertThat(get("/v2/models/alpha/versions/3").statusCode()).isEqualTo(404);
        assertThat(get("/v2/models/alpha/versions/3/ready").statusCode()).isEqualTo(404);
        assertThat(client.post(app.port(), "127.0.0.1", "/api/classify?model=gamma")
                .putHeader("Content-Type", "image/png").sendBuffer(Buffer.buffer(png)).await().statusCode())
                .isEqualTo(404);
    }

    @Test
    void pollingBringsNewVersionsInAndOldOnesOutWithoutAFailedRequest() throws Exception {
        put("alpha", 1, 1);
        app = RunningApplication.startReady(vertx, config(new JsonObject().put("defaultModel", "alpha")), client);
        AtomicBoolean running = new AtomicBoolean(true);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        Set<String> answeredBy = ConcurrentHashMap.newKeySet();
        Set<String> refusals = ConcurrentHashMap.newKeySet();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        List<Future<?>> loops = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            loops.add(senders.submit(() -> {
                while (running.get()) {
                    HttpResponse<Buffer> response = client.post(app.port(), "127.0.0.1", "/v2/models/alpha/infer")
                            .sendJsonObject(new JsonObject().put("inputs", new JsonArray().add(new JsonObject()
                                    .put("name", "image").put("datatype", "BYTES").put("shape", new JsonArray().add(1))
                                    .put("data", new JsonArray().add(Base64.getEncoder().encodeToString(png))))))
                            .await();
                    statuses.merge(response.statusCode(), 1, Integer::sum);
                    if (response.statusCode() != 200) {
                        refusals.add(response.bodyAsString());
                    }
                    if (response.statusCode() == 200) {
                        answeredBy.add(response.bodyAsJsonObject().getString("model_version"));
                    }
                }
            }));
        }
        try {
            put("alpha", 2, 2);
            await("/v2/models/alpha", versions("2"));
            put("alpha", 3, 3);
            await("/v2/models/alpha", versions("3"));
            // The newest goes away: the one before comes back before it is dropped.
            try (Stream<Path> files = Files.walk(repository.resolve("alpha").resolve("3"))) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
            }
            await("/v2/models/alpha", versions("2"));
        } finally {
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get();
            }
            senders.shutdown();
        }

        assertThat(statuses.keySet()).as("statuses %s, refusals %s", statuses, refusals).containsOnly(200);
        assertThat(statuses.get(200)).isPositive();
        assertThat(answeredBy).contains("2", "3");
        System.out.printf("repository changes under load: %s requests answered 200, by versions %s%n",
                statuses.get(200), answeredBy);
    }

    @Test
    void aVersionThatDoesNotLoadIsReportedAndTheOthersKeepServing() throws IOException {
        Model alpha1 = put("alpha", 1, 1);
        app = RunningApplication.startReady(vertx, config(new JsonObject().put("defaultModel", "alpha")), client);
        Path broken = Files.createDirectories(repository.resolve("alpha").resolve("2")).resolve("model.npz");
        Files.write(broken, "not a model".getBytes());

        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        JsonObject row;
        do {
            assertThat(System.currentTimeMillis()).as("the failure reported in time").isLessThan(deadline);
            JsonArray index = new JsonArray(admin("/v2/repository/index").bodyAsString());
            row = index.stream().map(JsonObject.class::cast)
                    .filter(entry -> entry.getString("version").equals("2")).findFirst().orElseThrow();
        } while (!row.getString("state").equals("UNAVAILABLE") || !row.containsKey("reason"));

        assertThat(row.getString("name")).isEqualTo("alpha");
        assertThat(get("/v2/models/alpha").bodyAsJsonObject().getJsonArray("versions"))
                .isEqualTo(new JsonArray().add("1"));
        assertThat(probability(infer("/v2/models/alpha/infer"))).isCloseTo(expected(alpha1), within(1e-12));

        Model fixed = put("alpha", 2, 2);
        await("/v2/models/alpha", versions("2"));
        assertThat(probability(infer("/v2/models/alpha/infer"))).isCloseTo(expected(fixed), within(1e-12));
    }

    @Test
    void theRepositoryExtensionUnloadsAndLoadsModelsBehindTheAdminToken() throws IOException {
        put("alpha", 1, 1);
        put("beta", 1, 3);
        app = RunningApplication.startReady(vertx, config(new JsonObject().put("defaultModel", "alpha")), client);

        assertThat(client.post(app.port(), "127.0.0.1", "/v2/repository/index").send().await().statusCode())
                .isEqualTo(401);
        assertThat(client.post(app.port(), "127.0.0.1", "/v2/repository/models/beta/unload").send().await()
                .statusCode()).isEqualTo(401);
        assertThat(new JsonArray(admin("/v2/repository/index").bodyAsString())).containsExactly(
                new JsonObject().put("name", "alpha").put("version", "1").put("state", "READY"),
                new JsonObject().put("name", "beta").put("version", "1").put("state", "READY"));

        assertThat(admin("/v2/repository/models/beta/unload").statusCode()).isEqualTo(200);
        await("/v2/models/beta", response -> response.statusCode() == 404);
        assertThat(client.post(app.port(), "127.0.0.1", "/api/classify?model=beta")
                .putHeader("Content-Type", "image/png").sendBuffer(Buffer.buffer(png)).await().statusCode())
                .isEqualTo(404);
        assertThat(classify("").getJsonObject("served").getString("name")).isEqualTo("alpha");

        assertThat(admin("/v2/repository/models/beta/load").statusCode()).isEqualTo(200);
        await("/v2/models/beta", versions("1"));
        assertThat(classify("?model=beta").getJsonObject("served").getString("name")).isEqualTo("beta");
        assertThat(admin("/v2/repository/models/gamma/load").statusCode()).isEqualTo(404);
        assertThat(admin("/v2/repository/models/gamma/unload").statusCode()).isEqualTo(404);
    }

    @Test
    void theGrpcRepositoryCallsUnloadAndLoadModelsBehindTheAdminTokenLikeRest() throws Exception {
        put("alpha", 1, 1);
        put("beta", 1, 3);
        app = RunningApplication.startReady(vertx, config(new JsonObject().put("defaultModel", "alpha")), client);
        try (GrpcClient grpc = new GrpcClient(app.port())) {
            GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub admin = grpc.stub("authorization",
                    "Bearer " + TOKEN);
            assertThatThrownBy(() -> grpc.stub().repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder()
                    .setModelName("beta").build())).isInstanceOfSatisfying(StatusRuntimeException.class,
                    failure -> assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
            assertThat(indexAsJson(admin.repositoryIndex(RepositoryIndexRequest.getDefaultInstance())))
                    .isEqualTo(new JsonArray(admin("/v2/repository/index").bodyAsString()));

            admin.repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName("beta").build());
            await("/v2/models/beta", response -> response.statusCode() == 404);
            assertThatThrownBy(() -> grpc.stub().modelReady(ModelReadyRequest.newBuilder().setName("beta").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, failure ->
                            assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
            assertThat(admin.repositoryIndex(RepositoryIndexRequest.newBuilder().setReady(true).build())
                    .getModelsList()).extracting(RepositoryIndexResponse.ModelIndex::getName).containsExactly("alpha");

            admin.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("beta").build());
            await("/v2/models/beta", versions("1"));
            assertThat(grpc.stub().modelReady(ModelReadyRequest.newBuilder().setName("beta").build()).getReady())
                    .isTrue();
            assertThatThrownBy(() -> admin.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder()
                    .setModelName("gamma").build())).isInstanceOfSatisfying(StatusRuntimeException.class,
                    failure -> assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        }
    }

    private static JsonArray indexAsJson(RepositoryIndexResponse index) {
        JsonArray rows = new JsonArray();
        index.getModelsList().forEach(row -> {
            JsonObject json = new JsonObject().put("name", row.getName()).put("version", row.getVersion())
                    .put("state", row.getState());
            rows.add(row.getReason().isEmpty() ? json : json.put("reason", row.getReason()));
        });
        return rows;
    }

    @Test
    void theJarsTwoModelsAreTheDefaultRepository() {
        JsonObject config = config(new JsonObject());
        config.getJsonObject("classifier").getJsonObject("repository").putNull("path");
        app = RunningApplication.startReady(vertx, config, client);

        assertThat(get("/v2/models/catvnoncat").bodyAsJsonObject().getJsonArray("versions"))
                .isEqualTo(new JsonArray().add("1"));
        assertThat(get("/v2/models/catvnoncat-pixels").bodyAsJsonObject().getJsonArray("versions"))
                .isEqualTo(new JsonArray().add("1"));
        assertThat(classify("").getJsonObject("served").getString("name")).isEqualTo("catvnoncat");
        JsonObject pixels = classify("?model=catvnoncat-pixels");
        assertThat(pixels.getJsonObject("served")).isEqualTo(new JsonObject().put("name", "catvnoncat-pixels")
                .put("version", "1"));
        assertThat(pixels.getJsonObject("model").containsKey("features")).isFalse();
    }

    @Test
    void countsEachVersionsRequestsInTritonsShapeAndAsMetricsWhileItIsLoaded() throws IOException {
        put("alpha", 1, 1);
        put("beta", 1, 3);
        app = RunningApplication.startReady(vertx, config(new JsonObject().put("defaultModel", "alpha")), client);
        classify("?model=beta");
        classify("?model=beta");
        JsonObject pair = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "image")
                .put("datatype", "BYTES").put("shape", new JsonArray().add(2)).put("data", new JsonArray()
                        .add(Base64.getEncoder().encodeToString(png)).add(Base64.getEncoder().encodeToString(png)))));
        assertThat(client.post(app.port(), "127.0.0.1", "/v2/models/beta/versions/1/infer").sendJsonObject(pair)
                .await().statusCode()).isEqualTo(200);
        assertThat(client.post(app.port(), "127.0.0.1", "/api/classify?model=beta")
                .putHeader("Content-Type", "image/png").sendBuffer(Buffer.buffer("not a picture")).await()
                .statusCode()).isEqualTo(415);

        JsonObject stats = get("/v2/models/beta/stats").bodyAsJsonObject();
        assertThat(stats.getJsonArray("model_stats")).hasSize(1);
        JsonObject beta = stats.getJsonArray("model_stats").getJsonObject(0);
        assertThat(beta.getString("name")).isEqualTo("beta");
        assertThat(beta.getString("version")).isEqualTo("1");
        assertThat(beta.getLong("inference_count")).isEqualTo(4);
        assertThat(beta.getLong("execution_count")).isEqualTo(3);
        assertThat(beta.getLong("last_inference")).isPositive();
        JsonObject phases = beta.getJsonObject("inference_stats");
        assertThat(phases.fieldNames()).containsExactlyInAnyOrder("success", "fail", "queue", "compute_input",
                "compute_infer", "compute_output");
        assertThat(phases.getJsonObject("success").getLong("count")).isEqualTo(3);
        assertThat(phases.getJsonObject("fail").getLong("count")).isEqualTo(1);
        for (String phase : List.of("success", "queue", "compute_input", "compute_infer")) {
            assertThat(phases.getJsonObject(phase).getLong("ns")).as(phase).isPositive();
        }
        assertThat(get("/v2/models/beta/versions/1/stats").bodyAsJsonObject()).isEqualTo(stats);
        assertThat(get("/v2/models/alpha/stats").bodyAsJsonObject().getJsonArray("model_stats").getJsonObject(0)
                .getLong("inference_count")).isZero();
        assertThat(get("/v2/models/beta/versions/2/stats").statusCode()).isEqualTo(404);

        String metrics = get("/metrics").bodyAsString();
        assertThat(metrics).contains("catvsnoncat_model_inferences_total{model=\"beta\",version=\"1\"} 4.0",
                "catvsnoncat_model_executions_total{model=\"beta\",version=\"1\"} 3.0",
                "catvsnoncat_model_duration_seconds_count{model=\"beta\",phase=\"fail\",version=\"1\"} 1\n");
        assertThat(admin("/v2/repository/models/beta/unload").statusCode()).isEqualTo(200);
        assertThat(get("/metrics").bodyAsString()).doesNotContain("model=\"beta\"")
                .contains("catvsnoncat_model_inferences_total{model=\"alpha\",version=\"1\"} 0.0");
    }

    @Test
    void statisticsOfEveryModelAreEachVersionsOwnAndGrpcAnswersWhatRestAnswers() throws Exception {
        put("alpha", 1, 1);
        put("alpha", 2, 2);
        put("beta", 1, 3);
        app = RunningApplication.startReady(vertx, config(new JsonObject().put("defaultModel", "alpha")
                .put("versionPolicies", new JsonObject().put("alpha", new JsonObject().put("all", true)))), client);
        classify("?model=alpha&version=1");
        classify("?model=beta");
        classify("?model=beta");

        JsonObject all = get("/v2/models/stats").bodyAsJsonObject();
        assertThat(all.getJsonArray("model_stats").stream().map(entry -> ((JsonObject) entry).getString("name")
                + "/" + ((JsonObject) entry).getString("version"))).containsExactly("alpha/1", "alpha/2", "beta/1");
        JsonArray eachModel = new JsonArray();
        eachModel.addAll(get("/v2/models/alpha/stats").bodyAsJsonObject().getJsonArray("model_stats"));
        eachModel.addAll(get("/v2/models/beta/stats").bodyAsJsonObject().getJsonArray("model_stats"));
        assertThat(all.getJsonArray("model_stats")).isEqualTo(eachModel);
        assertThat(all.getJsonArray("model_stats").stream().map(entry -> ((JsonObject) entry)
                .getLong("inference_count"))).containsExactly(1L, 0L, 2L);

        try (GrpcClient grpc = new GrpcClient(app.port())) {
            assertThat(asJson(grpc.stub().modelStatistics(ModelStatisticsRequest.getDefaultInstance())))
                    .isEqualTo(all);
            assertThat(asJson(grpc.stub().modelStatistics(ModelStatisticsRequest.newBuilder().setName("beta")
                    .build()))).isEqualTo(get("/v2/models/beta/stats").bodyAsJsonObject());
            assertThat(asJson(grpc.stub().modelStatistics(ModelStatisticsRequest.newBuilder().setName("alpha")
                    .setVersion("1").build()))).isEqualTo(get("/v2/models/alpha/versions/1/stats").bodyAsJsonObject())
                    .isNotEqualTo(get("/v2/models/alpha/versions/2/stats").bodyAsJsonObject());

            assertThat(get("/v2/models/gamma/stats").statusCode()).isEqualTo(404);
            assertThat(get("/v2/models/alpha/versions/3/stats").statusCode()).isEqualTo(404);
            assertGrpcStatistics(grpc, "gamma", "", Status.Code.NOT_FOUND, "unknown model \"gamma\"");
            assertGrpcStatistics(grpc, "alpha", "3", Status.Code.NOT_FOUND, "has no version \"3\"");
            assertGrpcStatistics(grpc, "", "1", Status.Code.INVALID_ARGUMENT, "a version needs the name of its model");
            // Hostile names are looked up, never used as anything else; a long one is not echoed whole.
            for (String name : List.of("../alpha", "alpha\u0000", "\u00e9\u202e", "a".repeat(100_000),
                    "\u00e9".repeat(50_000), "stats")) {
                assertGrpcStatistics(grpc, name, "", Status.Code.NOT_FOUND, "unknown model");
            }
            assertGrpcStatistics(grpc, "alpha", "-1", Status.Code.NOT_FOUND, "has no version");
            assertThatThrownBy(() -> grpc.callRaw("ModelStatistics", new byte[] {(byte) 0xff, 1, 2}))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, failure ->
                            assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        }
        for (String path : List.of("/v2/models/stats/x", "/v2/models/stats/stats", "/v2/models/%ff/stats",
                "/v2/models/alpha/versions/%00/stats", "/v2/models/alpha/versions/" + "9".repeat(40) + "/stats")) {
            assertThat(get(path).statusCode()).as(path).isBetween(400, 499);
        }
        assertThat(client.post(app.port(), "127.0.0.1", "/v2/models/stats").send().await().statusCode())
                .isBetween(400, 499);
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    }

    private static void assertGrpcStatistics(GrpcClient grpc, String name, String version, Status.Code code,
                                             String reason) {
        assertThatThrownBy(() -> grpc.stub().modelStatistics(ModelStatisticsRequest.newBuilder().setName(name)
                .setVersion(version).build())).as(name.length() + " chars, version " + version)
                .isInstanceOfSatisfying(StatusRuntimeException.class, failure -> {
                    assertThat(failure.getStatus().getCode()).isEqualTo(code);
                    assertThat(failure.getStatus().getDescription()).contains(reason);
                });
    }

    /** The gRPC answer in the REST answer's shape, read field by field from the generated getters. */
    private static JsonObject asJson(ModelStatisticsResponse response) {
        JsonArray stats = new JsonArray();
        for (ModelStatistics version : response.getModelStatsList()) {
            InferStatistics phases = version.getInferenceStats();
            JsonObject json = new JsonObject();
            Map.of("success", phases.getSuccess(), "fail", phases.getFail(), "queue", phases.getQueue(),
                    "compute_input", phases.getComputeInput(), "compute_infer", phases.getComputeInfer(),
                    "compute_output", phases.getComputeOutput()).forEach((phase, duration) -> json.put(phase,
                    new JsonObject().put("count", duration.getCount()).put("ns", duration.getNs())));
            stats.add(new JsonObject().put("name", version.getName()).put("version", version.getVersion())
                    .put("last_inference", version.getLastInference())
                    .put("inference_count", version.getInferenceCount())
                    .put("execution_count", version.getExecutionCount()).put("inference_stats", json));
        }
        return new JsonObject().put("model_stats", stats);
    }
}
