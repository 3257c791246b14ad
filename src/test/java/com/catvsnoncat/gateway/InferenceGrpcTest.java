package com.catvsnoncat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.catvsnoncat.bus.Failure;
import com.catvsnoncat.classifier.ClassifierApi;
import com.catvsnoncat.grpc.v2.GRPCInferenceServiceGrpc;
import com.catvsnoncat.grpc.v2.InferStatistics;
import com.catvsnoncat.grpc.v2.ModelInferRequest;
import com.catvsnoncat.grpc.v2.ModelMetadataRequest;
import com.catvsnoncat.grpc.v2.ModelMetadataResponse;
import com.catvsnoncat.grpc.v2.ModelReadyRequest;
import com.catvsnoncat.grpc.v2.ModelStatistics;
import com.catvsnoncat.grpc.v2.ModelStatisticsRequest;
import com.catvsnoncat.grpc.v2.ModelStatisticsResponse;
import com.catvsnoncat.grpc.v2.RepositoryIndexRequest;
import com.catvsnoncat.grpc.v2.RepositoryIndexResponse;
import com.catvsnoncat.grpc.v2.RepositoryModelLoadRequest;
import com.catvsnoncat.grpc.v2.RepositoryModelUnloadRequest;
import com.catvsnoncat.grpc.v2.RepositoryModelUnloadResponse;
import com.catvsnoncat.grpc.v2.ServerLiveRequest;
import com.catvsnoncat.grpc.v2.ServerMetadataRequest;
import com.catvsnoncat.grpc.v2.ServerMetadataResponse;
import com.catvsnoncat.grpc.v2.ServerReadyRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gRPC service on the gateway's port, called with grpc-java's generated blocking stub, against fake services
 * on the event bus: the health and metadata calls answer what REST answers, API keys guard what they guard on REST,
 * and every failure of a service comes back as its gRPC status with the service's reason.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class InferenceGrpcTest {
    private static final JsonObject READY = new JsonObject().put("ready", true)
            .put("model", new JsonObject().put("name", "catvnoncat").put("version", "7"));
    private GrpcClient client;

    @AfterEach
    void close() throws InterruptedException {
        if (client != null) {
            client.close();
        }
    }

    private GatewayHarness start(Vertx vertx, JsonObject overrides) {
        GatewayHarness gateway = GatewayHarness.start(vertx, overrides);
        client = new GrpcClient(gateway.port);
        return gateway;
    }

    @Test
    void healthAndMetadataCallsAnswerWhatTheRestRoutesAnswerOnTheSamePort(Vertx vertx) {
        GatewayHarness gateway = start(vertx, new JsonObject()).withStaticContent()
                .reply(ClassifierApi.MODEL, GatewayHarness.MODEL).reply(ClassifierApi.READY, READY);

        assertThat(client.stub().serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(client.stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
        assertThat(client.stub().modelReady(ModelReadyRequest.newBuilder().setName("catvnoncat").build())
                .getReady()).isTrue();
        assertThat(client.stub().modelReady(ModelReadyRequest.newBuilder().setName("catvnoncat").setVersion("7")
                .build()).getReady()).isTrue();

        ServerMetadataResponse server = client.stub().serverMetadata(ServerMetadataRequest.getDefaultInstance());
        JsonObject restServer = gateway.get("/v2").send().await().bodyAsJsonObject();
        assertThat(server.getName()).isEqualTo(restServer.getString("name"));
        assertThat(server.getVersion()).isEqualTo(restServer.getString("version"));
        // Binary tensor data is REST's; without an admin token there is no repository either.
        assertThat(restServer.getJsonArray("extensions").getList()).containsExactly("binary_tensor_data",
                "statistics");
        assertThat(server.getExtensionsList()).containsExactly("statistics");
        assertThatThrownBy(() -> client.stub().repositoryIndex(RepositoryIndexRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, failure ->
                        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));

        ModelMetadataResponse model = client.stub().modelMetadata(ModelMetadataRequest.newBuilder()
                .setName("catvnoncat").build());
        JsonObject restModel = gateway.get("/v2/models/catvnoncat").send().await().bodyAsJsonObject();
        assertThat(model.getName()).isEqualTo(restModel.getString("name"));
        assertThat(model.getVersionsList()).isEqualTo(List.of("7")).isEqualTo(restModel.getJsonArray("versions")
                .getList());
        assertThat(model.getPlatform()).isEqualTo(restModel.getString("platform"));
        assertThat(asJson(model.getInputsList())).isEqualTo(restModel.getJsonArray("inputs"));
        assertThat(asJson(model.getOutputsList())).isEqualTo(restModel.getJsonArray("outputs"));
    }

    @Test
    void http2ConnectionsOfferStreamWindowsOfOneMebibyte(Vertx vertx) {
        GatewayHarness gateway = start(vertx, new JsonObject());
        HttpClientAgent http2 = vertx.createHttpClient(new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));

        HttpConnection connection = http2.request(HttpMethod.GET, gateway.port, "127.0.0.1", "/health/live")
                .compose(request -> request.send().map(response -> request.connection())).await();

        // grpc-java's server's window: a message of a MiB is sent without waiting for the server's WINDOW_UPDATEs.
        assertThat(connection.remoteSettings().getInitialWindowSize()).isEqualTo(1 << 20);
        http2.close().await();
    }

    private static JsonArray asJson(List<ModelMetadataResponse.TensorMetadata> tensors) {
        JsonArray array = new JsonArray();
        tensors.forEach(tensor -> array.add(new JsonObject().put("name", tensor.getName())
                .put("datatype", tensor.getDatatype()).put("shape", new JsonArray(tensor.getShapeList()))));
        return array;
    }

    @Test
    void aModelOrVersionTheClassifierDoesNotServeIsNotFoundAndTheCallsNameWhatTheyAskFor(Vertx vertx) {
        GatewayHarness gateway = start(vertx, new JsonObject());
        for (String address : List.of(ClassifierApi.MODEL, ClassifierApi.READY)) {
            gateway.serve(address, message -> {
                String name = message.body().getString(ClassifierApi.MODEL_NAME);
                String version = message.body().getString(ClassifierApi.MODEL_VERSION, "7");
                if (!"catvnoncat".equals(name) || !"7".equals(version)) {
                    message.fail(404, "not served: \"" + name + "\" version " + version);
                } else {
                    message.reply(address.equals(ClassifierApi.MODEL) ? GatewayHarness.MODEL : READY);
                }
            });
        }

        assertStatus(() -> client.stub().modelMetadata(ModelMetadataRequest.newBuilder().setName("dogs").build()),
                Status.Code.NOT_FOUND, "not served: \"dogs\"");
        assertStatus(() -> client.stub().modelReady(ModelReadyRequest.newBuilder().setName("").build()),
                Status.Code.NOT_FOUND, "not served: \"\"");
        assertStatus(() -> client.stub().modelMetadata(ModelMetadataRequest.newBuilder().setName("catvnoncat")
                .setVersion("8").build()), Status.Code.NOT_FOUND, "version 8");
        assertThat(client.stub().modelReady(ModelReadyRequest.newBuilder().setName("catvnoncat").setVersion("7")
                .build()).getReady()).isTrue();
        assertThat(gateway.lastMessage()).isEqualTo(new JsonObject().put(ClassifierApi.MODEL_NAME, "catvnoncat")
                .put(ClassifierApi.MODEL_VERSION, "7"));
    }

    @Test
    void aModelIsNotReadyOnRestNorGrpcOnceTheServerDrainsAsTheServerIsNot(Vertx vertx) {
        GatewayHarness gateway = start(vertx, new JsonObject()).serve(ClassifierApi.READY, message -> {
            if ("catvnoncat".equals(message.body().getString(ClassifierApi.MODEL_NAME))) {
                message.reply(READY);
            } else {
                message.fail(404, "not served: \"" + message.body().getString(ClassifierApi.MODEL_NAME) + "\"");
            }
        });
        ModelReadyRequest request = ModelReadyRequest.newBuilder().setName("catvnoncat").build();
        assertThat(gateway.get("/v2/models/catvnoncat/ready").send().await().statusCode()).isEqualTo(200);
        assertThat(client.stub().modelReady(request).getReady()).isTrue();

        ServerState.of(vertx).startDraining();

        assertThat(gateway.get("/v2/health/ready").send().await().statusCode()).isEqualTo(503);
        assertThat(client.stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isFalse();
        HttpResponse<Buffer> model = gateway.get("/v2/models/catvnoncat/ready").send().await();
        assertThat(model.statusCode()).isEqualTo(503);
        assertThat(model.bodyAsJsonObject()).isEqualTo(new JsonObject().put("ready", false));
        assertThat(gateway.get("/v2/models/catvnoncat/versions/7/ready").send().await().statusCode())
                .isEqualTo(503);
        assertThat(client.stub().modelReady(request).getReady()).isFalse();
        assertThat(client.stub().modelReady(request.toBuilder().setVersion("7").build()).getReady()).isFalse();
        // A model that is not served is still not found, draining or not.
        assertStatus(() -> client.stub().modelReady(request.toBuilder().setName("dogs").build()),
                Status.Code.NOT_FOUND, "not served: \"dogs\"");
    }

    @Test
    void theRepositoryCallsWantTheAdminTokenAndAskTheClassifierAsTheRestRoutesDo(Vertx vertx) {
        JsonObject index = new JsonObject().put(ClassifierApi.MODELS, new JsonArray()
                .add(new JsonObject().put("name", "catvnoncat").put("version", "7").put("state", "READY"))
                .add(new JsonObject().put("name", "catvnoncat").put("version", "8").put("state", "UNAVAILABLE")
                        .put("reason", "not a model file")));
        GatewayHarness gateway = start(vertx, new JsonObject().put("admin", new JsonObject().put("token", "s3cret")))
                .reply(ClassifierApi.REPOSITORY_INDEX, index)
                .reply(ClassifierApi.REPOSITORY_UNLOAD, new JsonObject());
        gateway.serve(ClassifierApi.REPOSITORY_LOAD, message -> message.fail(404, "no model \"dogs\" in the "
                + "repository"));

        assertThat(client.stub().serverMetadata(ServerMetadataRequest.getDefaultInstance()).getExtensionsList())
                .containsExactly("statistics", "model_repository");
        assertStatus(() -> client.stub().repositoryIndex(RepositoryIndexRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED, "admin bearer token");
        assertStatus(() -> client.stub("authorization", "Bearer wrong").repositoryModelUnload(
                RepositoryModelUnloadRequest.newBuilder().setModelName("catvnoncat").build()),
                Status.Code.UNAUTHENTICATED, "admin bearer token");
        assertThat(gateway.messageCount()).as("refused before the classifier is asked").isZero();

        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub admin = client.stub("authorization",
                "Bearer s3cret");
        RepositoryIndexResponse all = admin.repositoryIndex(RepositoryIndexRequest.getDefaultInstance());
        assertThat(all.getModelsList()).extracting(row -> row.getName() + "/" + row.getVersion() + " "
                + row.getState() + " " + row.getReason())
                .containsExactly("catvnoncat/7 READY ", "catvnoncat/8 UNAVAILABLE not a model file");
        assertThat(admin.repositoryIndex(RepositoryIndexRequest.newBuilder().setReady(true).build()).getModelsList())
                .extracting(RepositoryIndexResponse.ModelIndex::getVersion).containsExactly("7");
        assertThat(new JsonArray(gateway.post("/v2/repository/index").bearerTokenAuthentication("s3cret")
                .sendJsonObject(new JsonObject().put("ready", true)).await().bodyAsString()))
                .isEqualTo(new JsonArray().add(index.getJsonArray(ClassifierApi.MODELS).getJsonObject(0)));

        assertThat(admin.repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName("catvnoncat")
                .build())).isEqualTo(RepositoryModelUnloadResponse.getDefaultInstance());
        assertThat(gateway.lastMessage()).isEqualTo(new JsonObject().put(ClassifierApi.MODEL_NAME, "catvnoncat"));
        assertStatus(() -> admin.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("dogs")
                .build()), Status.Code.NOT_FOUND, "no model \"dogs\" in the repository");
        assertStatus(() -> admin.repositoryModelLoad(RepositoryModelLoadRequest.getDefaultInstance()),
                Status.Code.INVALID_ARGUMENT, "model_name is needed");
    }

    @Test
    void apiKeysGuardTheModelCallsAsOnRestAndHealthStaysOpen(Vertx vertx) {
        start(vertx, new JsonObject().put("auth", new JsonObject().put("apiKeys", AccessControlTest.keysConfig())))
                .withStaticContent()
                .reply(ClassifierApi.MODEL, GatewayHarness.MODEL).reply(ClassifierApi.READY, READY);
        ModelMetadataRequest request = ModelMetadataRequest.newBuilder().setName("catvnoncat").build();

        assertStatus(() -> client.stub().modelMetadata(request), Status.Code.UNAUTHENTICATED, "an API key is needed");
        assertStatus(() -> client.stub().modelInfer(ModelInferRequest.newBuilder().setModelName("catvnoncat")
                .build()), Status.Code.UNAUTHENTICATED, "an API key is needed");
        assertStatus(() -> client.stub("authorization", "Bearer wrong-key").modelMetadata(request),
                Status.Code.UNAUTHENTICATED, "an API key is needed");
        assertThat(client.stub("authorization", "Bearer " + AccessControlTest.ALICE_KEY).modelMetadata(request)
                .getName()).isEqualTo("catvnoncat");
        assertThat(client.stub("x-api-key", AccessControlTest.CI_KEY).modelMetadata(request).getName())
                .isEqualTo("catvnoncat");
        assertThat(client.stub().serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(client.stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    }

    @Test
    void statisticsAskTheClassifierAsTheRestRoutesDoAndOnlyEveryModelsWantAKey(Vertx vertx) {
        JsonObject stats = new JsonObject().put(ClassifierApi.MODEL_STATS, new JsonArray().add(new JsonObject()
                .put("name", "catvnoncat").put("version", "7").put("last_inference", 1_700_000_000_000L)
                .put("inference_count", 12).put("execution_count", 5).put("inference_stats", new JsonObject()
                        .put("success", duration(4, 900)).put("fail", duration(1, 80)).put("queue", duration(5, 30))
                        .put("compute_input", duration(5, 200)).put("compute_infer", duration(5, 500))
                        .put("compute_output", duration(5, 10)))));
        GatewayHarness gateway = start(vertx, new JsonObject().put("auth", new JsonObject()
                .put("apiKeys", AccessControlTest.keysConfig()))).reply(ClassifierApi.STATS, stats);

        ModelStatisticsResponse named = client.stub().modelStatistics(ModelStatisticsRequest.newBuilder()
                .setName("catvnoncat").setVersion("7").build());
        assertThat(gateway.lastMessage()).isEqualTo(new JsonObject().put(ClassifierApi.MODEL_NAME, "catvnoncat")
                .put(ClassifierApi.MODEL_VERSION, "7"));
        ModelStatistics version = named.getModelStats(0);
        assertThat(List.of(version.getName(), version.getVersion())).containsExactly("catvnoncat", "7");
        assertThat(List.of(version.getLastInference(), version.getInferenceCount(), version.getExecutionCount()))
                .containsExactly(1_700_000_000_000L, 12L, 5L);
        InferStatistics phases = version.getInferenceStats();
        assertThat(List.of(phases.getSuccess(), phases.getFail(), phases.getQueue(), phases.getComputeInput(),
                phases.getComputeInfer(), phases.getComputeOutput())).extracting(d -> d.getCount() + "/" + d.getNs())
                .containsExactly("4/900", "1/80", "5/30", "5/200", "5/500", "5/10");
        assertThat(gateway.get("/v2/models/catvnoncat/versions/7/stats").send().await().bodyAsJsonObject())
                .isEqualTo(stats);
        assertThat(gateway.lastMessage()).isEqualTo(new JsonObject().put(ClassifierApi.MODEL_NAME, "catvnoncat")
                .put(ClassifierApi.MODEL_VERSION, "7"));

        // Every model's statistics list the served models: a key, as for /v2/models/stats.
        int asked = gateway.messageCount();
        assertStatus(() -> client.stub().modelStatistics(ModelStatisticsRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED, "an API key is needed");
        assertThat(gateway.get("/v2/models/stats").send().await().statusCode()).isEqualTo(401);
        assertThat(gateway.messageCount()).as("refused before the classifier is asked").isEqualTo(asked);
        assertThat(client.stub("x-api-key", AccessControlTest.CI_KEY).modelStatistics(
                ModelStatisticsRequest.getDefaultInstance())).isEqualTo(named);
        assertThat(gateway.lastMessage()).isEqualTo(new JsonObject());
        assertThat(gateway.get("/v2/models/stats").bearerTokenAuthentication(AccessControlTest.ALICE_KEY).send()
                .await().bodyAsJsonObject()).isEqualTo(stats);
        assertThat(gateway.lastMessage()).isEqualTo(new JsonObject());
        client.stub("x-api-key", AccessControlTest.CI_KEY).modelStatistics(ModelStatisticsRequest.newBuilder()
                .setVersion("7").build());
        assertThat(gateway.lastMessage()).as("a version alone goes to the classifier, which refuses it")
                .isEqualTo(new JsonObject().put(ClassifierApi.MODEL_VERSION, "7"));
    }

    private static JsonObject duration(long count, long ns) {
        return new JsonObject().put("count", count).put("ns", ns);
    }

    @Test
    void everyFailureOfTheServiceComesBackAsItsGrpcStatusWithItsReason(Vertx vertx) {
        Map<Failure, Status.Code> expected = Map.of(
                Failure.BAD_REQUEST, Status.Code.INVALID_ARGUMENT,
                Failure.NOT_FOUND, Status.Code.NOT_FOUND,
                Failure.UNSUPPORTED_MEDIA_TYPE, Status.Code.INVALID_ARGUMENT,
                Failure.UNPROCESSABLE, Status.Code.INVALID_ARGUMENT,
                Failure.PAYLOAD_TOO_LARGE, Status.Code.RESOURCE_EXHAUSTED,
                Failure.BAD_GATEWAY, Status.Code.UNAVAILABLE,
                Failure.UNAVAILABLE, Status.Code.UNAVAILABLE,
                Failure.TIMEOUT, Status.Code.DEADLINE_EXCEEDED);
        assertThat(expected.keySet()).containsExactlyInAnyOrder(Failure.values());
        Failure[] next = new Failure[1];
        start(vertx, new JsonObject()).serve(ClassifierApi.MODEL,
                message -> message.fail(next[0].status(), "reason of " + next[0].name()));
        ModelMetadataRequest request = ModelMetadataRequest.newBuilder().setName("catvnoncat").build();

        for (Failure failure : Failure.values()) {
            next[0] = failure;
            assertStatus(() -> client.stub().modelMetadata(request), expected.get(failure),
                    "reason of " + failure.name());
        }
    }

    @Test
    void aServiceThatIsNotThereIsUnavailable(Vertx vertx) {
        start(vertx, new JsonObject());

        assertStatus(() -> client.stub().modelMetadata(ModelMetadataRequest.newBuilder().setName("catvnoncat")
                .build()), Status.Code.UNAVAILABLE, "the service is not running");
        assertThat(client.stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isFalse();
    }

    @Test
    void aServiceThatDoesNotAnswerInTimeIsDeadlineExceeded(Vertx vertx) {
        start(vertx, new JsonObject().put("http", new JsonObject().put("busTimeoutMs", 100)))
                .serve(ClassifierApi.MODEL, message -> { });

        assertStatus(() -> client.stub().modelMetadata(ModelMetadataRequest.newBuilder().setName("catvnoncat")
                .build()), Status.Code.DEADLINE_EXCEEDED, "did not answer in time");
    }

    @Test
    void aServiceThatFailsWithABugIsInternalWithoutItsText(Vertx vertx) {
        start(vertx, new JsonObject()).serve(ClassifierApi.MODEL,
                message -> message.fail(500, "NullPointerException at Secret.java:42"));

        assertStatus(() -> client.stub().modelMetadata(ModelMetadataRequest.newBuilder().setName("catvnoncat")
                .build()), Status.Code.INTERNAL, "internal error");
    }

    static void assertStatus(Runnable call, Status.Code code, String reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, failure -> {
            assertThat(failure.getStatus().getCode()).isEqualTo(code);
            assertThat(failure.getStatus().getDescription()).contains(reason);
        });
    }
}
