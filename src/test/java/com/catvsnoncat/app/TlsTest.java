package com.catvsnoncat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.catvsnoncat.BlockedThreads;
import com.catvsnoncat.gateway.GrpcClient;
import com.catvsnoncat.grpc.v2.InferTensorContents;
import com.catvsnoncat.grpc.v2.ModelInferRequest;
import com.catvsnoncat.grpc.v2.ModelInferResponse;
import com.catvsnoncat.grpc.v2.ServerReadyRequest;
import com.catvsnoncat.testing.SelfSignedPem;
import com.google.protobuf.ByteString;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the one port, as a client that trusts the server's certificate meets it: REST over HTTP/2 (ALPN) and over
 * HTTP/1.1, and gRPC with grpc-java's stub over TLS, all on the same port and answering alike; a cleartext client
 * gets no answer there.
 */
@Timeout(120)
class TlsTest {
    @TempDir
    Path dir;
    private Vertx vertx;

    @AfterEach
    void stop() {
        if (vertx != null) {
            vertx.close().await();
        }
    }

    @Test
    void restOverHttp2AndHttp11AndGrpcShareTheTlsPortAndAnswerAlike() throws Exception {
        SelfSignedPem pem = SelfSignedPem.create(dir);
        vertx = Vertx.vertx(BlockedThreads.vertxOptions());
        JsonObject config = ConfigLoader.defaults().mergeIn(ApplicationTestConfig.withModel(dir), true)
                .mergeIn(new JsonObject().put("http", new JsonObject().put("tls", new JsonObject()
                        .put("keyPath", pem.keyPath().toString()).put("certPath", pem.certPath().toString()))), true);
        WebClient http2 = WebClient.create(vertx, pem.trustingClient().setProtocolVersion(HttpVersion.HTTP_2)
                .setUseAlpn(true));
        WebClient http11 = WebClient.create(vertx, pem.trustingClient());
        int port = RunningApplication.startReady(vertx, config, http2).port();
        byte[] png = ApplicationTestConfig.png();
        JsonObject request = new JsonObject().put("inputs", new JsonArray().add(new JsonObject()
                .put("name", "image").put("datatype", "BYTES").put("shape", new JsonArray().add(1))
                .put("data", new JsonArray().add(Base64.getEncoder().encodeToString(png)))));

        HttpResponse<Buffer> overHttp2 = http2.post(port, "localhost", "/v2/models/catvnoncat/infer")
                .sendJsonObject(request).await();
        HttpResponse<Buffer> overHttp11 = http11.post(port, "localhost", "/v2/models/catvnoncat/infer")
                .sendJsonObject(request).await();

        assertThat(overHttp2.statusCode()).as(overHttp2.bodyAsString()).isEqualTo(200);
        assertThat(overHttp2.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(overHttp11.statusCode()).isEqualTo(200);
        assertThat(overHttp11.version()).isEqualTo(HttpVersion.HTTP_1_1);
        double probability = overHttp2.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0)
                .getJsonArray("data").getDouble(0);
        assertThat(overHttp11.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0).getJsonArray("data")
                .getDouble(0)).isEqualTo(probability);
        try (GrpcClient grpc = GrpcClient.overTls(port, pem.certPath())) {
            assertThat(grpc.stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
            ModelInferResponse answer = grpc.stub().modelInfer(ModelInferRequest.newBuilder()
                    .setModelName("catvnoncat").addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                            .setName("image").setDatatype("BYTES").addShape(1).setContents(InferTensorContents
                                    .newBuilder().addBytesContents(ByteString.copyFrom(png)))).build());
            assertThat(answer.getOutputs(0).getContents().getFp64Contents(0)).isEqualTo(probability);
        }
        assertThatThrownBy(() -> WebClient.create(vertx).get(port, "127.0.0.1", "/health/live").send().await())
                .as("cleartext on the TLS port gets no answer").isNotNull();
    }
}
