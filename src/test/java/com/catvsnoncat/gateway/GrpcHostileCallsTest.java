package com.catvsnoncat.gateway;

import static com.catvsnoncat.gateway.InferenceGrpcTest.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.classifier.ClassifierApi;
import com.catvsnoncat.grpc.v2.ModelMetadataRequest;
import com.catvsnoncat.grpc.v2.ServerLiveRequest;
import io.grpc.CallOptions;
import io.grpc.Status;
import io.vertx.core.Vertx;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a hostile or broken gRPC client gets: bytes that are no protobuf message, a message above the body limit, a
 * method that does not exist, gRPC over HTTP/1.1. Each is a clean gRPC status (or HTTP error), never INTERNAL or
 * UNKNOWN, and the server answers the next call as before.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class GrpcHostileCallsTest {
    private static final int BODY_LIMIT = 64 * 1024;
    /** Whole messages arrive at once; only the trickle test comes near this. */
    private static final long BODY_TIMEOUT_MS = 3000;
    private GatewayHarness gateway;
    private GrpcClient client;

    @BeforeEach
    void start(Vertx vertx) {
        gateway = GatewayHarness.start(vertx, new JsonObject().put("http", new JsonObject()
                        .put("bodyLimitBytes", BODY_LIMIT).put("bodyTimeoutMs", BODY_TIMEOUT_MS)))
                .reply(ClassifierApi.MODEL, GatewayHarness.MODEL);
        client = new GrpcClient(gateway.port);
    }

    @AfterEach
    void close() throws InterruptedException {
        client.close();
    }

    /** Sends raw bytes as the request message of {@code method}. */
    private byte[] call(String method, byte[] message) {
        return client.callRaw(method, message);
    }

    private void stillServes() {
        assertThat(client.stub().serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    }

    @Test
    void bytesThatAreNoProtobufMessageAreAnInvalidArgument() {
        byte[] garbage = new byte[4096];
        new Random(11).nextBytes(garbage);

        assertStatus(() -> call("ModelMetadata", garbage), Status.Code.INVALID_ARGUMENT,
                "not a valid protobuf message");
        // Field 1 (a string) whose length runs past the end.
        assertStatus(() -> call("ModelMetadata", new byte[] {(byte) 0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff}),
                Status.Code.INVALID_ARGUMENT, "not a valid protobuf message");
        stillServes();
    }

    @Test
    void aMessageAboveTheBodyLimitIsResourceExhausted() {
        assertStatus(() -> call("ModelMetadata", new byte[BODY_LIMIT + 1]), Status.Code.RESOURCE_EXHAUSTED,
                "larger than the limit of 64 KiB");
        stillServes();
    }

    @Test
    void aGzipMessageThatInflatesAboveTheBodyLimitIsResourceExhausted() {
        // A few hundred bytes of gzip on the wire, 4 MiB once inflated.
        byte[] zeros = new byte[4 << 20];

        assertStatus(() -> client.callRaw("ModelMetadata", zeros, CallOptions.DEFAULT.withCompression("gzip")),
                Status.Code.RESOURCE_EXHAUSTED,
                "larger than the limit of 64 KiB once inflated");
        stillServes();
    }

    @Test
    void aGzipMessageIsReadLikeAnUncompressedOne() {
        ModelMetadataRequest request = ModelMetadataRequest.newBuilder().setName("catvnoncat").build();

        byte[] answer = client.callRaw("ModelMetadata", request.toByteArray(),
                CallOptions.DEFAULT.withCompression("gzip"));

        assertThat(answer).isNotEmpty();
    }

    @Test
    void aMethodThatDoesNotExistIsUnimplemented() {
        assertStatus(() -> call("ModelStreamInfer", new byte[0]), Status.Code.UNIMPLEMENTED, "");
        stillServes();
    }

    @Test
    void aCompressedMessageWithoutAnEncodingEndsTheCallAndNotTheServer(Vertx vertx) {
        HttpClient http2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
        // The compressed flag set, no grpc-encoding header: nothing says how to read the message.
        Buffer frame = Buffer.buffer(new byte[] {1, 0, 0, 0, 3, 1, 2, 3});

        Future<HttpClientResponse> answered = http2.request(new RequestOptions().setMethod(HttpMethod.POST)
                        .setHost("127.0.0.1").setPort(gateway.port)
                        .setURI("/inference.GRPCInferenceService/ModelMetadata")
                        .putHeader("Content-Type", "application/grpc").putHeader("te", "trailers"))
                .compose(request -> request.send(frame));
        HttpClientResponse response = answered.compose(answer -> answer.end().map(answer)).await();

        String status = response.getHeader("grpc-status") != null ? response.getHeader("grpc-status")
                : response.getTrailer("grpc-status");
        assertThat(status).isEqualTo(Integer.toString(Status.Code.INVALID_ARGUMENT.value()));
        stillServes();
    }

    @Test
    void aMessageThatTricklesInEndsDeadlineExceededAsARestBodyEnds408(Vertx vertx) {
        HttpClient http2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
        HttpClientRequest request = http2.request(new RequestOptions().setMethod(HttpMethod.POST)
                .setHost("127.0.0.1").setPort(gateway.port).setURI("/inference.GRPCInferenceService/ModelMetadata")
                .putHeader("Content-Type", "application/grpc").putHeader("te", "trailers")).await()
                .setChunked(true); // no length: over HTTP/2 the body is simply streamed
        Future<HttpClientResponse> answered = request.response().compose(answer -> answer.end().map(answer));
        // A message declared 100 bytes long, then one byte every 200 ms: 20 s to arrive whole.
        request.write(Buffer.buffer(new byte[] {0, 0, 0, 0, 100}));
        long trickle = vertx.setPeriodic(200, id -> request.write(Buffer.buffer(new byte[] {8})));
        request.exceptionHandler(reset -> vertx.cancelTimer(trickle)); // the server resets the stream once it answers
        long start = System.nanoTime();

        HttpClientResponse response = answered.await();
        vertx.cancelTimer(trickle);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000);
        String status = response.getHeader("grpc-status") != null ? response.getHeader("grpc-status")
                : response.getTrailer("grpc-status");
        assertThat(status).isEqualTo(Integer.toString(Status.Code.DEADLINE_EXCEEDED.value()));
        String message = response.getHeader("grpc-message") != null ? response.getHeader("grpc-message")
                : response.getTrailer("grpc-message");
        assertThat(URLDecoder.decode(message, StandardCharsets.UTF_8)).contains("did not arrive whole within 3000 ms");
        stillServes();
    }

    @Test
    void grpcOverHttp1IsRefusedCleanly(Vertx vertx) {
        HttpClientResponse response = vertx.createHttpClient().request(new RequestOptions().setMethod(HttpMethod.POST)
                        .setHost("127.0.0.1").setPort(gateway.port)
                        .setURI("/inference.GRPCInferenceService/ServerLive")
                        .putHeader("Content-Type", "application/grpc"))
                .compose(request -> request.send(Buffer.buffer(new byte[] {0, 0, 0, 0, 0})))
                .await();

        assertThat(response.statusCode()).isBetween(400, 499);
        stillServes();
    }
}
