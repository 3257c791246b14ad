package com.catvsnoncat.gateway;

import static com.catvsnoncat.testing.ErrorBodies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.classifier.ClassifierApi;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Open Inference Protocol v2 REST routes, with requests as KServe's and Triton's clients send them
 * (tritonclient.http / kserve's InferRequest.to_rest: nested data, id, named tensors), checked field by field.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class InferenceProtocolTest {
    private GatewayHarness gateway;

    @BeforeEach
    void start(Vertx vertx) {
        gateway = GatewayHarness.start(vertx)
                .serve(ClassifierApi.INFER, message -> {
                    int count = message.body().containsKey("images") ? message.body().getJsonArray("images").size()
                            : message.body().getInteger("count");
                    JsonArray probabilities = new JsonArray();
                    JsonArray labels = new JsonArray();
                    for (int i = 0; i < count; i++) {
                        probabilities.add(i % 2 == 0 ? 0.75 : 0.25);
                        labels.add(i % 2 == 0 ? "cat" : "non-cat");
                    }
                    message.reply(new JsonObject().put("probabilities", probabilities).put("labels", labels)
                            .put("model", new JsonObject().put("name", "catvnoncat").put("version", "7"))
                            .put("served", new JsonObject().put("name", "catvnoncat").put("version", "7")));
                })
                .reply(ClassifierApi.MODEL, GatewayHarness.MODEL)
                .reply(ClassifierApi.LIST, new JsonObject().put("defaultModel", "catvnoncat").put("models",
                        new JsonArray().add(new JsonObject().put("name", "catvnoncat").put("versions",
                                new JsonArray().add("7"))).add(new JsonObject().put("name", "unannounced")
                                .put("versions", new JsonArray().add("1")))))
                .reply(ClassifierApi.READY, new JsonObject().put("ready", true)
                        .put("model", new JsonObject().put("name", "catvnoncat").put("version", "7")));
    }

    /** N pictures as nested [N][64][64][3] arrays of 0..255, pixel value = (n + y + x + c) % 256. */
    static JsonArray nestedPictures(int count) {
        JsonArray batch = new JsonArray();
        for (int n = 0; n < count; n++) {
            JsonArray rows = new JsonArray();
            for (int y = 0; y < 64; y++) {
                JsonArray row = new JsonArray();
                for (int x = 0; x < 64; x++) {
                    row.add(new JsonArray().add((n + y + x) % 256).add((n + y + x + 1) % 256)
                            .add((n + y + x + 2) % 256));
                }
                rows.add(row);
            }
            batch.add(rows);
        }
        return batch;
    }

    @Test
    void infersAUint8BatchAsKServeAndTritonClientsSendIt() {
        JsonObject request = new JsonObject()
                .put("id", "request-42")
                .put("inputs", new JsonArray().add(new JsonObject()
                        .put("name", "input")
                        .put("shape", new JsonArray().add(2).add(64).add(64).add(3))
                        .put("datatype", "UINT8")
                        .put("parameters", new JsonObject())
                        .put("data", nestedPictures(2))))
                .put("outputs", new JsonArray().add(new JsonObject().put("name", "probability"))
                        .add(new JsonObject().put("name", "label")));

        HttpResponse<Buffer> response = gateway.post("/v2/models/catvnoncat/infer")
                .putHeader("Content-Type", "application/json").sendBuffer(request.toBuffer()).await();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
        JsonObject body = response.bodyAsJsonObject();
        assertThat(body.fieldNames()).containsExactlyInAnyOrder("model_name", "model_version", "id", "outputs");
        assertThat(body.getString("model_name")).isEqualTo("catvnoncat");
        assertThat(body.getString("model_version")).isEqualTo("7");
        assertThat(body.getString("id")).isEqualTo("request-42");
        JsonArray outputs = body.getJsonArray("outputs");
        assertThat(outputs).hasSize(2);
        JsonObject probability = outputs.getJsonObject(0);
        assertThat(probability.getString("name")).isEqualTo("probability");
        assertThat(probability.getString("datatype")).isEqualTo("FP64");
        assertThat(probability.getJsonArray("shape")).isEqualTo(new JsonArray().add(2).add(1));
        assertThat(probability.getJsonArray("data")).isEqualTo(new JsonArray().add(0.75).add(0.25));
        JsonObject label = outputs.getJsonObject(1);
        assertThat(label.getString("name")).isEqualTo("label");
        assertThat(label.getString("datatype")).isEqualTo("BYTES");
        assertThat(label.getJsonArray("shape")).isEqualTo(new JsonArray().add(2).add(1));
        assertThat(label.getJsonArray("data")).isEqualTo(new JsonArray().add("cat").add("non-cat"));

        JsonObject message = gateway.lastMessage();
        assertThat(message.getInteger("count")).isEqualTo(2);
        assertThat(message.getString("datatype")).isEqualTo("UINT8");
        byte[] pixels = message.getBinary("pixels");
        assertThat(pixels).hasSize(2 * 64 * 64 * 3);
        assertThat(pixels[0]).isEqualTo((byte) 0);
        assertThat(pixels[2]).isEqualTo((byte) 2);
        assertThat(pixels[64 * 64 * 3] & 0xff).isEqualTo(1); // first value of the second picture
    }

    @Test
    void answersBinaryOutputsWithTheBinaryTensorDataExtension() {
        JsonObject request = new JsonObject().put("parameters", new JsonObject().put("binary_data_output", true))
                .put("inputs", new JsonArray().add(new JsonObject().put("name", "input")
                        .put("shape", new JsonArray().add(2).add(64).add(64).add(3)).put("datatype", "UINT8")
                        .put("data", nestedPictures(2))))
                .put("outputs", new JsonArray().add(new JsonObject().put("name", "probability"))
                        .add(new JsonObject().put("name", "label")));

        HttpResponse<Buffer> response = gateway.post("/v2/models/catvnoncat/infer").sendJsonObject(request).await();

        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        int jsonLength = Integer.parseInt(response.getHeader("Inference-Header-Content-Length"));
        JsonObject header = new JsonObject(response.body().getBuffer(0, jsonLength));
        JsonObject probability = header.getJsonArray("outputs").getJsonObject(0);
        JsonObject label = header.getJsonArray("outputs").getJsonObject(1);
        assertThat(probability.containsKey("data")).isFalse();
        assertThat(probability.getJsonObject("parameters").getInteger("binary_data_size")).isEqualTo(16);
        assertThat(label.getJsonObject("parameters").getInteger("binary_data_size")).isEqualTo(4 + 3 + 4 + 7);
        ByteBuffer data = ByteBuffer.wrap(response.body().getBytes(jsonLength, response.body().length()))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(data.remaining()).isEqualTo(16 + 18);
        assertThat(data.getDouble()).isEqualTo(0.75);
        assertThat(data.getDouble()).isEqualTo(0.25);
        byte[] cat = new byte[data.getInt()];
        data.get(cat);
        byte[] nonCat = new byte[data.getInt()];
        data.get(nonCat);
        assertThat(new String(cat, StandardCharsets.UTF_8)).isEqualTo("cat");
        assertThat(new String(nonCat, StandardCharsets.UTF_8)).isEqualTo("non-cat");
    }

    @Test
    void answersOnlyTheRequestedOutputsAndNoIdWhenNoneWasGiven() {
        JsonObject request = new JsonObject().put("inputs", new JsonArray().add(new JsonObject()
                        .put("name", "input").put("shape", new JsonArray().add(1).add(64).add(64).add(3))
                        .put("datatype", "FP32").put("data", nestedPictures(1))))
                .put("outputs", new JsonArray().add(new JsonObject().put("name", "label")));

        JsonObject body = gateway.post("/v2/models/catvnoncat/infer").sendJsonObject(request).await()
                .bodyAsJsonObject();

        assertThat(body.containsKey("id")).isFalse();
        assertThat(body.getJsonArray("outputs")).hasSize(1);
        assertThat(body.getJsonArray("outputs").getJsonObject(0).getString("name")).isEqualTo("label");
        assertThat(gateway.lastMessage().getString("datatype")).isEqualTo("FP32");
        assertThat(gateway.lastMessage().getBinary("pixels")).hasSize(64 * 64 * 3 * 4);
    }

    @Test
    void infersEncodedPicturesGivenAsBytes() {
        byte[] first = {1, 2, 3};
        byte[] second = {4, 5};
        JsonObject request = new JsonObject().put("inputs", new JsonArray().add(new JsonObject()
                .put("name", "image").put("shape", new JsonArray().add(2)).put("datatype", "BYTES")
                .put("data", new JsonArray().add(Base64.getEncoder().encodeToString(first))
                        .add(Base64.getEncoder().encodeToString(second)))));

        HttpResponse<Buffer> response = gateway.post("/v2/models/catvnoncat/infer").sendJsonObject(request)
                .await();

        assertThat(response.statusCode()).isEqualTo(200);
        JsonArray images = gateway.lastMessage().getJsonArray("images");
        assertThat(images.getBinary(0)).isEqualTo(first);
        assertThat(images.getBinary(1)).isEqualTo(second);
        assertThat(response.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0).getJsonArray("shape"))
                .isEqualTo(new JsonArray().add(2).add(1));
    }

    @Test
    void infersABatchSentWithTheBinaryTensorDataExtensionAsTritonsClientDoes() {
        byte[] pixels = new byte[2 * 64 * 64 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i % 251);
        }
        byte[] header = new JsonObject().put("inputs", new JsonArray().add(new JsonObject()
                        .put("name", "input").put("shape", new JsonArray().add(2).add(64).add(64).add(3))
                        .put("datatype", "UINT8")
                        .put("parameters", new JsonObject().put("binary_data_size", pixels.length))))
                .put("outputs", new JsonArray().add(new JsonObject().put("name", "probability")
                        .put("parameters", new JsonObject().put("binary_data", false))))
                .toBuffer().getBytes();

        HttpResponse<Buffer> response = gateway.post("/v2/models/catvnoncat/infer")
                .putHeader("Content-Type", "application/octet-stream")
                .putHeader("Inference-Header-Content-Length", Integer.toString(header.length))
                .sendBuffer(Buffer.buffer(header).appendBytes(pixels)).await();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0).getJsonArray("data"))
                .isEqualTo(new JsonArray().add(0.75).add(0.25));
        assertThat(gateway.lastMessage().getBinary("pixels")).isEqualTo(pixels);

        HttpResponse<Buffer> lying = gateway.post("/v2/models/catvnoncat/infer")
                .putHeader("Inference-Header-Content-Length", "99999999")
                .sendBuffer(Buffer.buffer(header).appendBytes(pixels)).await();
        assertThat(lying.statusCode()).isEqualTo(400);
        assertThat(lying.bodyAsJsonObject().getString("error")).contains("Inference-Header-Content-Length");
    }

    @Test
    void refusesAWrongShapeWith400() {
        JsonObject request = new JsonObject().put("inputs", new JsonArray().add(new JsonObject()
                .put("name", "input").put("shape", new JsonArray().add(1).add(32).add(32).add(3))
                .put("datatype", "UINT8").put("data", new JsonArray().add(1))));

        assertError(gateway.post("/v2/models/catvnoncat/infer").sendJsonObject(request).await(), 400,
                "shape must be [N, 64, 64, 3]");
        assertThat(gateway.received).isEmpty();
    }

    @Test
    void refusesDataThatDoesNotFillTheShapeWith400() {
        JsonObject request = new JsonObject().put("inputs", new JsonArray().add(new JsonObject()
                .put("name", "input").put("shape", new JsonArray().add(2).add(64).add(64).add(3))
                .put("datatype", "UINT8").put("data", nestedPictures(1))));

        assertError(gateway.post("/v2/models/catvnoncat/infer").sendJsonObject(request).await(), 400,
                "needs 24576 numbers, data has 12288");
    }

    @Test
    void refusesBrokenJsonWith400() {
        HttpResponse<Buffer> response = gateway.post("/v2/models/catvnoncat/infer")
                .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{\"inputs\": [")).await();

        assertError(response, 400, "not valid JSON");
    }

    @Test
    void answers404ForAnUnknownModel() {
        assertError(gateway.post("/v2/models/resnet50/infer").sendJsonObject(new JsonObject()).await(), 404,
                "unknown model \"resnet50\"");
        assertError(gateway.get("/v2/models/resnet50").send().await(), 404, "resnet50");
        assertError(gateway.get("/v2/models/resnet50/ready").send().await(), 404, "resnet50");
    }

    @Test
    void asksTheClassifierAboutAModelItHasNotAnnouncedBeforeRefusingIt() {
        // No MODELS_CHANGED was published (as for a gateway that started after it was): the classifier's list decides.
        HttpResponse<Buffer> response = gateway.get("/v2/models/unannounced").send().await();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(gateway.lastMessage().getString("modelName")).isEqualTo("unannounced");
        assertError(gateway.get("/v2/models/resnet50").send().await(), 404,
                "this server has \"catvnoncat\", \"unannounced\"");
    }

    @Test
    void readsTheBodyOfAnInferenceForAModelItHadToAskAbout() {
        // The body arrives while the gateway asks the classifier about the name: it must still be there to read.
        JsonObject request = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "input")
                .put("shape", new JsonArray().add(1).add(64).add(64).add(3)).put("datatype", "UINT8")
                .put("data", nestedPictures(1))));

        HttpResponse<Buffer> response = gateway.post("/v2/models/unannounced/infer").sendJsonObject(request).await();

        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        assertThat(gateway.lastMessage().getString("modelName")).isEqualTo("unannounced");
    }

    @Test
    void describesTheServer() {
        JsonObject body = gateway.get("/v2").send().await().bodyAsJsonObject();

        assertThat(body.getString("name")).isEqualTo("catvsnoncat");
        assertThat(body.getString("version")).isEqualTo(System.getProperty("catvsnoncat.project.version"));
        assertThat(body.getJsonArray("extensions")).containsExactly("binary_tensor_data", "statistics");
    }

    @Test
    void describesTheModelsTensors() {
        JsonObject body = gateway.get("/v2/models/catvnoncat").send().await().bodyAsJsonObject();

        assertThat(body.getString("name")).isEqualTo("catvnoncat");
        assertThat(body.getJsonArray("versions")).isEqualTo(new JsonArray().add("7"));
        assertThat(body.getString("platform")).isNotBlank();
        assertThat(body.getJsonArray("inputs")).isEqualTo(new JsonArray().add(new JsonObject()
                .put("name", "input").put("datatype", "UINT8")
                .put("shape", new JsonArray().add(-1).add(64).add(64).add(3)))
                .add(new JsonObject().put("name", "image").put("datatype", "BYTES")
                        .put("shape", new JsonArray().add(-1))));
        assertThat(body.getJsonArray("outputs")).isEqualTo(new JsonArray()
                .add(new JsonObject().put("name", "probability").put("datatype", "FP64")
                        .put("shape", new JsonArray().add(-1).add(1)))
                .add(new JsonObject().put("name", "label").put("datatype", "BYTES")
                        .put("shape", new JsonArray().add(-1).add(1))));
    }

    @Test
    void saysTheModelIsReady() {
        HttpResponse<Buffer> response = gateway.get("/v2/models/catvnoncat/ready").send().await();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsJsonObject().getBoolean("ready")).isTrue();
    }
}
