package com.catvsnoncat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.HttpException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The OIP request parser alone: what it accepts, what it builds, and how it says no. */
class InferRequestParserTest {

    private static InferRequest parse(JsonObject request) {
        return InferRequestParser.parse(request.toBuffer().getBytes());
    }

    private static JsonObject oneInput(String datatype, JsonArray shape, JsonArray data) {
        return new JsonObject().put("inputs", new JsonArray().add(new JsonObject()
                .put("name", "input").put("datatype", datatype).put("shape", shape).put("data", data)));
    }

    private static JsonArray flat(int count, Object value) {
        JsonArray data = new JsonArray();
        for (int i = 0; i < count; i++) {
            data.add(value);
        }
        return data;
    }

    private static JsonArray pictureShape(int n) {
        return new JsonArray().add(n).add(64).add(64).add(3);
    }

    private static void assertRefused(JsonObject request, String fragment) {
        assertThatThrownBy(() -> parse(request)).isInstanceOfSatisfying(HttpException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(400);
            assertThat(e.getPayload()).contains(fragment);
        });
    }

    @Test
    void readsFlatUint8DataIntoBytes() {
        JsonArray data = flat(12288, 0);
        data.set(0, 255);
        data.set(12287, 7);

        InferRequest request = parse(oneInput("UINT8", pictureShape(1), data).put("id", "x"));

        assertThat(request.id()).isEqualTo(Optional.of("x"));
        assertThat(request.count()).isEqualTo(1);
        assertThat(request.pixels()).hasSize(12288);
        assertThat(request.pixels()[0] & 0xff).isEqualTo(255);
        assertThat(request.pixels()[12287]).isEqualTo((byte) 7);
        assertThat(request.toMessage().getInteger("count")).isEqualTo(1);
    }

    @Test
    void readsFp32DataAsLittleEndianFloats() {
        JsonArray data = flat(12288, 0.5);

        InferRequest request = parse(oneInput("FP32", pictureShape(1), data));

        assertThat(ByteBuffer.wrap(request.pixels()).order(ByteOrder.LITTLE_ENDIAN).getFloat(4)).isEqualTo(0.5f);
        assertThat(request.pixels()).hasSize(12288 * 4);
    }

    @Test
    void acceptsDataBeforeDatatypeAndShape() {
        String json = "{\"inputs\":[{\"data\":" + flat(12288, 1).encode()
                + ",\"name\":\"input\",\"datatype\":\"UINT8\",\"shape\":[1,64,64,3]}]}";

        InferRequest request = InferRequestParser.parse(json.getBytes(StandardCharsets.UTF_8));

        assertThat(request.pixels()[100]).isEqualTo((byte) 1);
    }

    @Test
    void refusesUint8ValuesOutOfRangeOrWithFractions() {
        JsonArray tooBig = flat(12288, 0);
        tooBig.set(5, 256);
        JsonArray fraction = flat(12288, 0);
        fraction.set(6, 1.5);

        assertRefused(oneInput("UINT8", pictureShape(1), tooBig), "256.0 at index 5");
        assertRefused(oneInput("UINT8", pictureShape(1), fraction), "1.5 at index 6");
    }

    @Test
    void refusesUnsupportedDatatypes() {
        assertRefused(oneInput("INT64", pictureShape(1), flat(12288, 0)), "datatype INT64 is not supported");
    }

    @Test
    void refusesMoreThanOneInput() {
        JsonObject request = oneInput("UINT8", pictureShape(1), flat(12288, 0));
        request.getJsonArray("inputs").add(request.getJsonArray("inputs").getJsonObject(0).copy());

        assertRefused(request, "exactly one input tensor, the request has 2");
    }

    @Test
    void refusesRequestsWithoutInputs() {
        assertRefused(new JsonObject().put("id", "1"), "no \"inputs\"");
        assertRefused(new JsonObject().put("inputs", new JsonArray()), "has 0");
    }

    @Test
    void refusesUnknownOutputs() {
        JsonObject request = oneInput("UINT8", pictureShape(1), flat(12288, 0))
                .put("outputs", new JsonArray().add(new JsonObject().put("name", "logits")));

        assertRefused(request, "unknown output \"logits\"");
    }

    @Test
    void refusesBytesThatAreNotBase64OrNotStrings() {
        assertRefused(oneInput("BYTES", new JsonArray().add(1), new JsonArray().add("not base64!")),
                "element 0 is not base64");
        assertRefused(oneInput("BYTES", new JsonArray().add(1), new JsonArray().add(12)), "numbers");
    }

    @Test
    void acceptsBytesOfShapeNByOne() {
        InferRequest request = parse(oneInput("BYTES", new JsonArray().add(1).add(1), new JsonArray().add("AQID")));

        assertThat(request.images()).hasSize(1);
        assertThat(request.images().get(0)).containsExactly(1, 2, 3);
    }

    @Test
    void refusesTheBinaryDataExtensionClearly() {
        JsonObject request = oneInput("UINT8", pictureShape(1), new JsonArray());
        request.getJsonArray("inputs").getJsonObject(0)
                .put("parameters", new JsonObject().put("binary_data_size", 12288));

        assertRefused(request, "binary tensor data extension is not supported");
    }

    @Test
    void refusesMixedData() {
        assertRefused(oneInput("UINT8", pictureShape(1), new JsonArray().add(1).add("a")), "mixes");
    }

    @Test
    void refusesSomethingThatIsNotAnObject() {
        assertThatThrownBy(() -> InferRequestParser.parse("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(HttpException.class);
        assertThatThrownBy(() -> InferRequestParser.parse(new byte[0])).isInstanceOf(HttpException.class);
    }
}
