package com.catvsnoncat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.HttpException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The OIP request parser alone: what it accepts, what it builds, and how it says no. */
class InferRequestParserTest {
    private static final int MAX_BATCH = 4;
    private static final InferRequestParser PARSER = new InferRequestParser(MAX_BATCH);

    private static InferRequest parse(JsonObject request) {
        return PARSER.parse(request.toBuffer().getBytes());
    }

    private static JsonObject oneInput(String datatype, JsonArray shape, JsonArray data) {
        return new JsonObject().put("inputs", new JsonArray().add(new JsonObject()
                .put("name", inputName(datatype)).put("datatype", datatype).put("shape", shape).put("data", data)));
    }

    /** The model's input for the datatype, as its metadata names them. */
    private static String inputName(String datatype) {
        return datatype.equals("BYTES") ? "image" : "input";
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
        assertRefused(request.encode(), 400, fragment);
    }

    private static void assertRefused(String body, int status, String fragment) {
        assertThatThrownBy(() -> PARSER.parse(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(HttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(status);
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

        InferRequest request = PARSER.parse(json.getBytes(StandardCharsets.UTF_8));

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
        assertRefused(oneInput("INT64", pictureShape(1), flat(12288, 0)),
                "input \"input\" does not take datatype INT64; the model takes \"input\" (UINT8 or FP32");
    }

    @Test
    void refusesInputNamesTheModelDoesNotListNamingTheOnesItDoes() {
        JsonObject named = oneInput("UINT8", pictureShape(1), flat(12288, 0));
        named.getJsonArray("inputs").getJsonObject(0).put("name", "pixels");
        assertRefused(named, "unknown input \"pixels\"; the model takes \"input\" (UINT8 or FP32, shape "
                + "[N, 64, 64, 3]) or \"image\" (BYTES, shape [N]: encoded picture files)");

        named.getJsonArray("inputs").getJsonObject(0).remove("name");
        assertRefused(named, "the input has no \"name\"; the model takes \"input\"");

        named.getJsonArray("inputs").getJsonObject(0).put("name", "x".repeat(100_000));
        assertThatThrownBy(() -> parse(named)).isInstanceOfSatisfying(HttpException.class,
                e -> assertThat(e.getPayload().length()).isLessThan(400));
    }

    @Test
    void refusesADatatypeTheNamedInputDoesNotTakeSayingWhereItGoes() {
        JsonObject filesAsPixels = oneInput("BYTES", new JsonArray().add(1), new JsonArray().add("AQID"));
        filesAsPixels.getJsonArray("inputs").getJsonObject(0).put("name", "input");
        assertRefused(filesAsPixels, "input \"input\" does not take datatype BYTES; encoded picture files go in "
                + "\"image\"");

        JsonObject pixelsAsFiles = oneInput("FP32", pictureShape(1), flat(12288, 0));
        pixelsAsFiles.getJsonArray("inputs").getJsonObject(0).put("name", "image");
        assertRefused(pixelsAsFiles, "input \"image\" does not take datatype FP32; pixels go in \"input\"");
    }

    @Test
    void refusesMoreThanOneInput() {
        JsonObject request = oneInput("UINT8", pictureShape(1), flat(12288, 0));
        request.getJsonArray("inputs").add(request.getJsonArray("inputs").getJsonObject(0).copy());

        assertRefused(request, "exactly one input tensor, \"input\" (UINT8 or FP32, shape [N, 64, 64, 3]) or "
                + "\"image\" (BYTES, shape [N]: encoded picture files); the request has more than one");
    }

    @Test
    void refusesRequestsWithoutInputs() {
        assertRefused(new JsonObject().put("id", "1"), "no \"inputs\"");
        assertRefused(new JsonObject().put("inputs", new JsonArray()), "the request has none");
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

    /** The binary tensor data extension: the JSON header, then the input's raw bytes. */
    private static InferRequest parseBinary(JsonObject header, byte[] data) {
        byte[] json = header.toBuffer().getBytes();
        byte[] body = Arrays.copyOf(json, json.length + data.length);
        System.arraycopy(data, 0, body, json.length, data.length);
        return PARSER.parse(body, json.length);
    }

    private static JsonObject binaryInput(String datatype, JsonArray shape, long size) {
        return new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", inputName(datatype))
                .put("datatype", datatype).put("shape", shape)
                .put("parameters", new JsonObject().put("binary_data_size", size))));
    }

    @Test
    void readsBinaryUint8DataAsTheSamePixelsAsJson() {
        JsonArray values = flat(2 * 12288, 0);
        byte[] raw = new byte[2 * 12288];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i * 7 % 256);
            values.set(i, i * 7 % 256);
        }

        InferRequest binary = parseBinary(binaryInput("UINT8", pictureShape(2), raw.length), raw);

        assertThat(binary.count()).isEqualTo(2);
        assertThat(binary.pixels()).isEqualTo(parse(oneInput("UINT8", pictureShape(2), values)).pixels());
    }

    @Test
    void readsBinaryFp32DataAsLittleEndianFloatsAndRefusesNonFiniteOnes() {
        ByteBuffer floats = ByteBuffer.allocate(12288 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 12288; i++) {
            floats.putFloat(i % 256);
        }

        InferRequest request = parseBinary(binaryInput("FP32", pictureShape(1), floats.capacity()), floats.array());

        assertThat(request.pixels()).isEqualTo(floats.array());
        floats.putFloat(4 * 100, Float.NaN);
        assertThatThrownBy(() -> parseBinary(binaryInput("FP32", pictureShape(1), floats.capacity()),
                floats.array())).isInstanceOfSatisfying(HttpException.class, e ->
                assertThat(e.getPayload()).contains("FP32 value at index 100 is out of range"));
    }

    @Test
    void readsBinaryBytesAsLengthPrefixedFiles() {
        ByteBuffer data = ByteBuffer.allocate(4 + 3 + 4 + 2).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(3).put(new byte[] {1, 2, 3}).putInt(2).put(new byte[] {4, 5});

        InferRequest request = parseBinary(binaryInput("BYTES", new JsonArray().add(2), data.capacity()),
                data.array());

        assertThat(request.images()).containsExactly(new byte[] {1, 2, 3}, new byte[] {4, 5});
        ByteBuffer overrun = ByteBuffer.allocate(4 + 1).order(ByteOrder.LITTLE_ENDIAN).putInt(9).put((byte) 1);
        assertThatThrownBy(() -> parseBinary(binaryInput("BYTES", new JsonArray().add(1), 5), overrun.array()))
                .isInstanceOfSatisfying(HttpException.class, e ->
                        assertThat(e.getPayload()).contains("element 0 of the binary data runs past its end"));
    }

    @Test
    void refusesBinaryDataThatDoesNotMatchWhatTheHeaderDeclares() {
        byte[] picture = new byte[12288];

        assertThatThrownBy(() -> parseBinary(binaryInput("UINT8", pictureShape(1), 100), picture))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.getPayload())
                        .contains("binary_data_size is 100 but 12288 bytes follow the JSON header"));
        assertThatThrownBy(() -> parseBinary(binaryInput("UINT8", pictureShape(2), 12288), picture))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.getPayload())
                        .contains("needs 24576 bytes of UINT8, binary_data_size is 12288"));
        assertThatThrownBy(() -> parseBinary(oneInput("UINT8", pictureShape(1), flat(12288, 1)), picture))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.getPayload())
                        .contains("12288 bytes follow the JSON header, but no input declares binary_data_size"));
        JsonObject both = oneInput("UINT8", pictureShape(1), flat(12288, 1));
        both.getJsonArray("inputs").getJsonObject(0).put("parameters",
                new JsonObject().put("binary_data_size", 12288));
        assertThatThrownBy(() -> parseBinary(both, picture)).isInstanceOfSatisfying(HttpException.class, e ->
                assertThat(e.getPayload()).contains("has both \"data\" and binary_data_size"));
    }

    @Test
    void refusesAnInferenceHeaderLengthOutsideTheBody() {
        assertThat(InferRequestParser.headerLength(null, 50)).isEqualTo(50);
        assertThat(InferRequestParser.headerLength(" 20 ", 50)).isEqualTo(20);
        for (String header : new String[] {"51", "-1", "x", ""}) {
            assertThatThrownBy(() -> InferRequestParser.headerLength(header, 50))
                    .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.getPayload())
                            .contains("Inference-Header-Content-Length must be the JSON header's length in bytes"));
        }
    }

    @Test
    void refusesMixedData() {
        assertRefused(oneInput("UINT8", pictureShape(1), new JsonArray().add(1).add("a")), "mixes");
    }

    @Test
    void refusesSomethingThatIsNotAnObject() {
        assertThatThrownBy(() -> PARSER.parse("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(HttpException.class);
        assertThatThrownBy(() -> PARSER.parse(new byte[0])).isInstanceOf(HttpException.class);
    }

    @Test
    void refusesADeclaredBatchAboveTheLimitBeforeReadingItsData() {
        // The data after the shape is not even valid JSON: the shape alone decides.
        String body = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"UINT8\",\"shape\":[" + (MAX_BATCH + 1)
                + ",64,64,3],\"data\":[1,2,";
        assertRefused(body, 413, "a batch of 5 pictures is above the limit of 4");
    }

    @Test
    void refusesDataBeyondAFullBatchWhateverTheShapeSaysAfterIt() {
        StringBuilder numbers = new StringBuilder();
        for (int i = 0; i < (MAX_BATCH + 1) * 12288; i++) {
            numbers.append(i % 3 == 0 ? "[1," : i % 3 == 1 ? "2," : "3],");
        }
        String body = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"UINT8\",\"data\":[" + numbers
                + "[1]],\"shape\":[1,64,64,3]}]}";
        assertRefused(body, 413, "above the limit of 4");
        StringBuilder strings = new StringBuilder();
        for (int i = 0; i <= MAX_BATCH; i++) {
            strings.append("\"\",");
        }
        assertRefused("{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"data\":[" + strings
                + "\"\"],\"shape\":[1]}]}", 413, "above the limit of 4");
    }

    @Test
    void answersEachRequestedOutputOnceHoweverOftenItIsAsked() {
        JsonArray outputs = new JsonArray();
        for (int i = 0; i < 10_000; i++) {
            outputs.add(new JsonObject().put("name", i % 2 == 0 ? "label" : "probability"));
        }
        InferRequest request = parse(oneInput("BYTES", new JsonArray().add(1), new JsonArray().add("AQID"))
                .put("outputs", outputs));
        assertThat(request.outputs()).containsExactly("label", "probability");
    }

    @Test
    void readsWhichOutputsAreWantedAsBinaryData() {
        JsonObject bytes = oneInput("BYTES", new JsonArray().add(1), new JsonArray().add("AQID"));
        assertThat(parse(bytes.copy()).binaryOutputs()).isEmpty();
        assertThat(parse(bytes.copy().put("parameters", new JsonObject().put("binary_data_output", true)))
                .binaryOutputs()).containsExactlyInAnyOrder("probability", "label");
        assertThat(parse(bytes.copy().put("parameters", new JsonObject().put("binary_data_output", true))
                .put("outputs", new JsonArray().add(new JsonObject().put("name", "label")
                        .put("parameters", new JsonObject().put("binary_data", false)))
                        .add(new JsonObject().put("name", "probability")))).binaryOutputs())
                .containsExactly("probability");
        assertThat(parse(bytes.copy().put("outputs", new JsonArray().add(new JsonObject().put("name", "label")
                .put("parameters", new JsonObject().put("binary_data", true).put("other", new JsonArray())))))
                .binaryOutputs()).containsExactly("label");
        assertRefused(bytes.copy().put("parameters", new JsonObject().put("binary_data_output", "yes")).encode(),
                400, "binary_data_output must be true or false");
    }

    @Test
    void refusesTrailingContentDuplicateKeysASecondInputAndDeepNesting() {
        String one = oneInput("BYTES", new JsonArray().add(1), new JsonArray().add("AQID")).encode();
        assertRefused(one + "{}", 400, "more after its JSON object");
        assertRefused(one + " x", 400, "not valid JSON");
        assertRefused(one.replace("{\"inputs\"", "{\"id\":\"a\",\"id\":\"b\",\"inputs\""), 400,
                "a key appears twice");
        assertRefused("{\"inputs\":[{},{},{}]}", 400, "exactly one input tensor");
        assertRefused("{\"parameters\":" + "[".repeat(40) + "]".repeat(40) + "}", 400, "nested deeper");
        assertRefused("{\"inputs\":[{\"name\":\"i\",\"shape\":[1,1,1,1,1,1,1,1,1]}]}", 400,
                "more than 8 dimensions");
    }

    @Test
    void refusesMoreBinaryElementsThanTheShapeDeclaresAsSoonAsThereAreMore() {
        JsonObject header = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "image")
                .put("datatype", "BYTES").put("shape", new JsonArray().add(2))
                .put("parameters", new JsonObject().put("binary_data_size", 4 * 100_000))));
        byte[] json = header.encode().getBytes(StandardCharsets.UTF_8);
        byte[] body = Arrays.copyOf(json, json.length + 4 * 100_000); // 100,000 empty elements
        assertThatThrownBy(() -> PARSER.parse(body, json.length)).isInstanceOfSatisfying(HttpException.class,
                e -> assertThat(e.getPayload()).contains("needs 2 elements, the binary data has more"));
    }
}
