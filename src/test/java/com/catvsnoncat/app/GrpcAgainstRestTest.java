package com.catvsnoncat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.catvsnoncat.BlockedThreads;
import com.catvsnoncat.gateway.GrpcClient;
import com.catvsnoncat.grpc.v2.InferTensorContents;
import com.catvsnoncat.grpc.v2.ModelInferRequest;
import com.catvsnoncat.grpc.v2.ModelInferRequest.InferInputTensor;
import com.catvsnoncat.grpc.v2.ModelInferResponse;
import com.catvsnoncat.grpc.v2.ModelInferResponse.InferOutputTensor;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real application (gateway, classifier with a small real model) called over REST and over gRPC (grpc-java's
 * generated blocking stub over Netty) on its one port: the same pictures get the same probabilities and labels
 * both ways, for UINT8, FP32 and BYTES inputs, in every form gRPC allows (typed contents and raw_input_contents),
 * batches up to the limit; the same mistakes get the same reason, with the gRPC status of the REST status.
 */
@Timeout(120)
class GrpcAgainstRestTest {
    private static final int MAX_BATCH = 8;
    private static final int VALUES = 64 * 64 * 3;

    @TempDir
    static Path dir;
    private static Vertx vertx;
    private static WebClient rest;
    private static GrpcClient grpc;
    private static int port;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx(BlockedThreads.vertxOptions());
        rest = WebClient.create(vertx);
        JsonObject config = ConfigLoader.defaults().mergeIn(ApplicationTestConfig.withModel(dir), true)
                .mergeIn(new JsonObject().put("classifier", new JsonObject().put("maxBatch", MAX_BATCH)), true);
        port = RunningApplication.startReady(vertx, config, rest).port();
        grpc = new GrpcClient(port);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        grpc.close();
        vertx.close().await();
    }

    /** Pixels 0..255 from a seed, one byte each. */
    private static byte[] pixels(int pictures, long seed) {
        byte[] pixels = new byte[pictures * VALUES];
        new Random(seed).nextBytes(pixels);
        return pixels;
    }

    private static JsonObject restRequest(String datatype, long[] shape, JsonArray data) {
        JsonArray dimensions = new JsonArray();
        for (long dimension : shape) {
            dimensions.add(dimension);
        }
        return new JsonObject().put("id", "parity").put("inputs", new JsonArray().add(new JsonObject()
                .put("name", inputName(datatype)).put("datatype", datatype).put("shape", dimensions).put("data", data)));
    }

    /** The model's input for the datatype: "image" takes encoded files, "input" pixels. */
    private static String inputName(String datatype) {
        return datatype.equals("BYTES") ? "image" : "input";
    }

    private static InferInputTensor.Builder input(String datatype, long... shape) {
        InferInputTensor.Builder input = InferInputTensor.newBuilder().setName(inputName(datatype))
                .setDatatype(datatype);
        for (long dimension : shape) {
            input.addShape(dimension);
        }
        return input;
    }

    private static ModelInferRequest grpcRequest(InferInputTensor.Builder input) {
        return ModelInferRequest.newBuilder().setModelName("catvnoncat").setId("parity").addInputs(input).build();
    }

    private static ModelInferRequest rawRequest(InferInputTensor.Builder input, byte[] raw) {
        return grpcRequest(input).toBuilder().addRawInputContents(ByteString.copyFrom(raw)).build();
    }

    private static JsonObject restInfer(JsonObject request) {
        HttpResponse<Buffer> response = rest.post(port, "127.0.0.1", "/v2/models/catvnoncat/infer")
                .sendJsonObject(request).await();
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        return response.bodyAsJsonObject();
    }

    /** The gRPC answer holds exactly the REST answer: names, datatypes, shapes, every probability and label. */
    private static void assertSameAnswer(ModelInferResponse answer, JsonObject restAnswer, int pictures) {
        assertThat(answer.getModelName()).isEqualTo(restAnswer.getString("model_name"));
        assertThat(answer.getModelVersion()).isEqualTo(restAnswer.getString("model_version")).isNotEmpty();
        assertThat(answer.getId()).isEqualTo("parity");
        JsonArray outputs = restAnswer.getJsonArray("outputs");
        assertThat(answer.getOutputsCount()).isEqualTo(outputs.size()).isEqualTo(2);
        for (int i = 0; i < outputs.size(); i++) {
            JsonObject expected = outputs.getJsonObject(i);
            InferOutputTensor output = answer.getOutputs(i);
            assertThat(output.getName()).isEqualTo(expected.getString("name"));
            assertThat(output.getDatatype()).isEqualTo(expected.getString("datatype"));
            assertThat(output.getShapeList()).containsExactly((long) pictures, 1L);
            List<Object> values = new ArrayList<>(output.getContents().getFp64ContentsList());
            output.getContents().getBytesContentsList().forEach(bytes -> values.add(bytes.toStringUtf8()));
            assertThat(values).isEqualTo(expected.getJsonArray("data").getList());
        }
    }

    @Test
    void uint8PicturesGetTheSameAnswerOverGrpcAsOverRestUpToTheBatchLimit() {
        for (int pictures : new int[] {1, 3, MAX_BATCH}) {
            byte[] pixels = pixels(pictures, pictures);
            JsonArray data = new JsonArray();
            InferTensorContents.Builder contents = InferTensorContents.newBuilder();
            for (byte pixel : pixels) {
                data.add(pixel & 0xff);
                contents.addUintContents(pixel & 0xff);
            }
            long[] shape = {pictures, 64, 64, 3};
            JsonObject restAnswer = restInfer(restRequest("UINT8", shape, data));

            assertSameAnswer(grpc.stub().modelInfer(grpcRequest(input("UINT8", shape).setContents(contents))),
                    restAnswer, pictures);
            assertSameAnswer(grpc.stub().modelInfer(rawRequest(input("UINT8", shape), pixels)), restAnswer,
                    pictures);
        }
    }

    @Test
    void fp32PicturesGetTheSameAnswerOverGrpcAsOverRest() {
        int pictures = 2;
        byte[] pixels = pixels(pictures, 42);
        JsonArray data = new JsonArray();
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        ByteBuffer raw = ByteBuffer.allocate(pixels.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < pixels.length; i++) {
            // Not only whole numbers: FP32 carries what UINT8 cannot.
            float value = (pixels[i] & 0xff) * (i % 2 == 0 ? 1f : 0.75f);
            data.add(value);
            contents.addFp32Contents(value);
            raw.putFloat(value);
        }
        long[] shape = {pictures, 64, 64, 3};
        JsonObject restAnswer = restInfer(restRequest("FP32", shape, data));

        assertSameAnswer(grpc.stub().modelInfer(grpcRequest(input("FP32", shape).setContents(contents))),
                restAnswer, pictures);
        assertSameAnswer(grpc.stub().modelInfer(rawRequest(input("FP32", shape), raw.array())), restAnswer,
                pictures);
    }

    @Test
    void encodedPicturesAsBytesGetTheSameAnswerOverGrpcAsOverRest() throws IOException {
        List<byte[]> files = List.of(ApplicationTestConfig.png(), png(40, 30, 11), jpeg(70, 50, 12));
        JsonArray data = new JsonArray();
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        ByteBuffer raw = ByteBuffer.allocate(files.stream().mapToInt(file -> 4 + file.length).sum())
                .order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] file : files) {
            data.add(Base64.getEncoder().encodeToString(file));
            contents.addBytesContents(ByteString.copyFrom(file));
            raw.putInt(file.length).put(file);
        }
        JsonObject restAnswer = restInfer(restRequest("BYTES", new long[] {files.size()}, data));

        assertSameAnswer(grpc.stub().modelInfer(grpcRequest(input("BYTES", files.size()).setContents(contents))),
                restAnswer, files.size());
        assertSameAnswer(grpc.stub().modelInfer(rawRequest(input("BYTES", files.size()), raw.array())),
                restAnswer, files.size());
    }

    @Test
    void theSameMistakesGetTheSameReasonsWithTheGrpcStatusOfTheRestStatus() throws IOException {
        byte[] one = pixels(1, 1);
        JsonArray oneData = new JsonArray();
        for (byte pixel : one) {
            oneData.add(pixel & 0xff);
        }
        JsonArray tooBright = oneData.copy().set(5, 300);
        InferTensorContents.Builder tooBrightContents = InferTensorContents.newBuilder();
        tooBright.forEach(value -> tooBrightContents.addUintContents((Integer) value));
        byte[] notAPicture = "this is not a picture".getBytes();

        assertSameRefusal(restRequest("UINT8", new long[] {1, 32, 32, 3}, oneData),
                rawRequest(input("UINT8", 1, 32, 32, 3), one), Status.Code.INVALID_ARGUMENT);
        assertSameRefusal(restRequest("UINT8", new long[] {1, 64, 64, 3}, tooBright),
                grpcRequest(input("UINT8", 1, 64, 64, 3).setContents(tooBrightContents)),
                Status.Code.INVALID_ARGUMENT);
        assertSameRefusal(restRequest("INT64", new long[] {1, 64, 64, 3}, oneData),
                rawRequest(input("INT64", 1, 64, 64, 3), one), Status.Code.INVALID_ARGUMENT);
        InferTensorContents.Builder oneContents = InferTensorContents.newBuilder();
        oneData.forEach(value -> oneContents.addUintContents((Integer) value));
        assertSameRefusal(restRequest("UINT8", new long[] {2, 64, 64, 3}, oneData),
                grpcRequest(input("UINT8", 2, 64, 64, 3).setContents(oneContents)), Status.Code.INVALID_ARGUMENT);
        assertSameRefusal(restRequest("BYTES", new long[] {1},
                        new JsonArray().add(Base64.getEncoder().encodeToString(notAPicture))),
                grpcRequest(input("BYTES", 1).setContents(InferTensorContents.newBuilder()
                        .addBytesContents(ByteString.copyFrom(notAPicture)))), Status.Code.INVALID_ARGUMENT);
        assertSameRefusal(restRequest("UINT8", new long[] {MAX_BATCH + 1, 64, 64, 3}, oneData),
                rawRequest(input("UINT8", MAX_BATCH + 1, 64, 64, 3), one), Status.Code.RESOURCE_EXHAUSTED);
        JsonObject unknownOutput = restRequest("UINT8", new long[] {1, 64, 64, 3}, oneData)
                .put("outputs", new JsonArray().add(new JsonObject().put("name", "dogness")));
        assertSameRefusal(unknownOutput, rawRequest(input("UINT8", 1, 64, 64, 3), one).toBuilder()
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("dogness")).build(),
                Status.Code.INVALID_ARGUMENT);
        assertRefused(rawRequest(input("UINT8", 1, 64, 64, 3), one).toBuilder().setModelName("dogs").build(),
                Status.Code.NOT_FOUND, "unknown model \"dogs\"");
    }

    @Test
    void inputsNotNamedAsTheMetadataListsThemAreRefusedNamingTheExpectedOnesOnBothProtocols() {
        JsonArray expected = rest.get(port, "127.0.0.1", "/v2/models/catvnoncat").send().await().bodyAsJsonObject()
                .getJsonArray("inputs");
        assertThat(expected.stream().map(input -> ((JsonObject) input).getString("name"))).containsExactly("input",
                "image");
        byte[] one = pixels(1, 11);
        JsonArray oneData = new JsonArray();
        for (byte pixel : one) {
            oneData.add(pixel & 0xff);
        }
        JsonObject renamed = restRequest("UINT8", new long[] {1, 64, 64, 3}, oneData);
        renamed.getJsonArray("inputs").getJsonObject(0).put("name", "pixels");
        assertSameRefusal(renamed, rawRequest(input("UINT8", 1, 64, 64, 3).setName("pixels"), one),
                Status.Code.INVALID_ARGUMENT, "unknown input \"pixels\"; the model takes \"input\" (UINT8 or FP32, "
                        + "shape [N, 64, 64, 3]) or \"image\" (BYTES, shape [N]: encoded picture files)");

        byte[] file = {1, 2, 3};
        JsonObject filesAsPixels = restRequest("BYTES", new long[] {1},
                new JsonArray().add(Base64.getEncoder().encodeToString(file)));
        filesAsPixels.getJsonArray("inputs").getJsonObject(0).put("name", "input");
        assertSameRefusal(filesAsPixels, grpcRequest(input("BYTES", 1).setName("input").setContents(
                        InferTensorContents.newBuilder().addBytesContents(ByteString.copyFrom(file)))),
                Status.Code.INVALID_ARGUMENT, "encoded picture files go in \"image\"");

        ModelInferRequest two = grpcRequest(input("BYTES", 1)).toBuilder().addInputs(input("UINT8", 1, 64, 64, 3))
                .build();
        assertRefused(two, Status.Code.INVALID_ARGUMENT, "the model takes exactly one input tensor, \"input\"");
    }

    private static void assertSameRefusal(JsonObject restRequest, ModelInferRequest grpcRequest, Status.Code code) {
        assertSameRefusal(restRequest, grpcRequest, code, "");
    }

    /** REST says 4xx with {@code reason} in its error, and gRPC says {@code code} with the same error. */
    private static void assertSameRefusal(JsonObject restRequest, ModelInferRequest grpcRequest, Status.Code code,
                                          String reason) {
        HttpResponse<Buffer> response = rest.post(port, "127.0.0.1", "/v2/models/catvnoncat/infer")
                .sendJsonObject(restRequest).await();
        assertThat(response.statusCode()).isBetween(400, 499);
        assertThat(response.bodyAsJsonObject().getString("error")).contains(reason);
        assertRefused(grpcRequest, code, response.bodyAsJsonObject().getString("error"));
    }

    private static void assertRefused(ModelInferRequest request, Status.Code code, String reason) {
        assertThatThrownBy(() -> grpc.stub().modelInfer(request)).isInstanceOfSatisfying(
                StatusRuntimeException.class, failure -> {
                    assertThat(failure.getStatus().getCode()).isEqualTo(code);
                    assertThat(failure.getStatus().getDescription()).contains(reason);
                });
    }

    @Test
    void hostileTensorsGetACleanStatusAndTheServerGoesOn() {
        List<ModelInferRequest> hostile = List.of(
                ModelInferRequest.newBuilder().setModelName("catvnoncat").build(),
                grpcRequest(input("UINT8", Long.MAX_VALUE, 64, 64, 3)),
                grpcRequest(input("UINT8", -1, 64, 64, 3)),
                grpcRequest(input("UINT8")),
                grpcRequest(input("BYTES", 3)),
                grpcRequest(input("", 1, 64, 64, 3)),
                rawRequest(input("BYTES", 1), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f, 1}),
                rawRequest(input("FP32", 1, 64, 64, 3), new byte[VALUES * 4 - 1]),
                grpcRequest(input("UINT8", 1, 64, 64, 3)).toBuilder().addInputs(input("UINT8", 1, 64, 64, 3))
                        .build(),
                rawRequest(input("UINT8", 1, 64, 64, 3).setContents(InferTensorContents.newBuilder()
                        .addUintContents(1)), new byte[VALUES]),
                grpcRequest(input("UINT8", 1, 64, 64, 3).setContents(InferTensorContents.newBuilder()
                        .addFp32Contents(1))));
        for (ModelInferRequest request : hostile) {
            assertThatThrownBy(() -> grpc.stub().modelInfer(request)).isInstanceOfSatisfying(
                    StatusRuntimeException.class, failure -> assertThat(failure.getStatus().getCode())
                            .as(request.toString().replaceAll("\\s+", " "))
                            .isIn(Status.Code.INVALID_ARGUMENT, Status.Code.RESOURCE_EXHAUSTED));
        }
        assertThat(grpc.stub().modelInfer(rawRequest(input("UINT8", 1, 64, 64, 3), pixels(1, 5)))
                .getOutputsCount()).isEqualTo(2);
    }

    static byte[] png(int width, int height, long seed) throws IOException {
        return encode(picture(width, height, seed), "png");
    }

    static byte[] jpeg(int width, int height, long seed) throws IOException {
        return encode(picture(width, height, seed), "jpg");
    }

    private static BufferedImage picture(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }
}
