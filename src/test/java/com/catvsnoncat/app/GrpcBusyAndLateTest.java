package com.catvsnoncat.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.BlockedThreads;
import com.catvsnoncat.gateway.GrpcClient;
import com.catvsnoncat.grpc.v2.GRPCInferenceServiceGrpc;
import com.catvsnoncat.grpc.v2.InferTensorContents;
import com.catvsnoncat.grpc.v2.ModelInferRequest;
import com.catvsnoncat.grpc.v2.ModelInferRequest.InferInputTensor;
import com.catvsnoncat.grpc.v2.ModelInferResponse;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real application with one classifier worker, no queue and a 1 ms deadline, called over gRPC with batches of
 * large pictures that take far longer than 1 ms to decode: the call that gets the worker ends DEADLINE_EXCEEDED,
 * the calls that find it busy end UNAVAILABLE (the classifier's 504 and 503), each with the classifier's reason.
 */
@Timeout(120)
class GrpcBusyAndLateTest {
    private static final int CALLS = 12;
    private static final int PICTURES = 8;

    @TempDir
    Path dir;
    private Vertx vertx;
    private GrpcClient grpc;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx(BlockedThreads.vertxOptions());
        WebClient rest = WebClient.create(vertx);
        JsonObject config = ConfigLoader.defaults().mergeIn(ApplicationTestConfig.withModel(dir), true)
                .mergeIn(new JsonObject().put("classifier", new JsonObject()
                        .put("workers", 1).put("maxQueued", 0).put("deadlineMs", 1)), true);
        grpc = new GrpcClient(RunningApplication.startReady(vertx, config, rest).port());
    }

    @AfterEach
    void stop() throws InterruptedException {
        grpc.close();
        vertx.close().await();
    }

    @Test
    void aLateCallIsDeadlineExceededAndCallsFindingTheClassifierBusyAreUnavailable() throws IOException,
            InterruptedException {
        InferTensorContents.Builder files = InferTensorContents.newBuilder();
        for (int i = 0; i < PICTURES; i++) {
            files.addBytesContents(ByteString.copyFrom(GrpcAgainstRestTest.png(640, 480, i)));
        }
        ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("catvnoncat")
                .addInputs(InferInputTensor.newBuilder().setName("image").setDatatype("BYTES").addShape(PICTURES)
                        .setContents(files))
                .build();
        GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub stub = GRPCInferenceServiceGrpc
                .newFutureStub(grpc.channel()).withDeadlineAfter(60, TimeUnit.SECONDS);

        List<ListenableFuture<ModelInferResponse>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            calls.add(stub.modelInfer(request));
        }
        Map<Status.Code, String> outcomes = new TreeMap<>();
        for (ListenableFuture<ModelInferResponse> call : calls) {
            try {
                call.get();
                outcomes.put(Status.Code.OK, "answered");
            } catch (ExecutionException e) {
                Status status = ((StatusRuntimeException) e.getCause()).getStatus();
                outcomes.put(status.getCode(), status.getDescription());
            }
        }

        assertThat(outcomes.keySet()).containsExactlyInAnyOrder(Status.Code.DEADLINE_EXCEEDED,
                Status.Code.UNAVAILABLE);
        assertThat(outcomes.get(Status.Code.UNAVAILABLE)).contains("busy");
        assertThat(outcomes.get(Status.Code.DEADLINE_EXCEEDED)).isNotBlank();
    }
}
