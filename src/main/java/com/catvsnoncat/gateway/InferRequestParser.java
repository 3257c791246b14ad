package com.catvsnoncat.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.ext.web.handler.HttpException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an Open Inference Protocol v2 JSON inference request with a streaming parser: tensor data (tens of
 * thousands of numbers per picture, flat or nested) goes straight into a primitive array, never into one object
 * per number. Checks everything the protocol lets a client get wrong (one input, datatype, shape, data length and
 * range, requested outputs) and says which rule was broken.
 *
 * <p>Accepted inputs: UINT8 or FP32 {@code [N, 64, 64, 3]} (pixels 0..255, channel-last), or BYTES {@code [N]}
 * (or {@code [N, 1]}) where each element is the base64 of an encoded picture file.
 *
 * <p>The binary tensor data extension (KServe / Triton, what Triton's clients send by default) is read too: the
 * body is a JSON header of {@code Inference-Header-Content-Length} bytes, then the input's raw data, declared by
 * its {@code "parameters": {"binary_data_size": n}}: UINT8 bytes, FP32 little-endian floats, or for BYTES each
 * element as a 4-byte little-endian length and the file. No numbers to parse: a batch of 32 pictures is 393 KB
 * instead of 1.4 MB of JSON.
 */
final class InferRequestParser {
    /** The binary tensor data extension's header: how many bytes of the body are the JSON request. */
    static final String INFERENCE_HEADER_LENGTH = "Inference-Header-Content-Length";
    static final String UINT8 = "UINT8";
    static final String FP32 = "FP32";
    static final String BYTES = "BYTES";
    static final String PROBABILITY = "probability";
    static final String LABEL = "label";
    static final int SIDE = 64;
    static final int CHANNELS = 3;
    static final int VALUES_PER_PICTURE = SIDE * SIDE * CHANNELS;
    private static final int MAX_UINT8 = 255;
    /** Nested pixel data is 7 levels deep; the rest of a request is shallower. */
    private static final int MAX_DEPTH = 16;
    /** The most dimensions a shape may have; the model's input has 4. */
    private static final int MAX_DIMENSIONS = 8;
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    private final int maxBatch;

    /** @param maxBatch the most pictures in one request (the classifier's {@code maxBatch}); more is a 413 */
    InferRequestParser(int maxBatch) {
        this.maxBatch = maxBatch;
    }

    /** @throws HttpException 400 naming what is wrong */
    InferRequest parse(byte[] body) {
        return parse(body, body.length);
    }

    /**
     * The JSON header's length: the {@code Inference-Header-Content-Length} header's value, or the whole body
     * without it.
     *
     * @throws HttpException 400 if the value is not a length within the body
     */
    static int headerLength(String header, int bodyLength) {
        if (header == null) {
            return bodyLength;
        }
        try {
            int length = Integer.parseInt(header.trim());
            if (length >= 0 && length <= bodyLength) {
                return length;
            }
        } catch (NumberFormatException e) {
            // refused below, like a length out of range
        }
        throw bad(INFERENCE_HEADER_LENGTH + " must be the JSON header's length in bytes (0.." + bodyLength
                + " for this body), got \"" + header + "\"");
    }

    /**
     * @param headerLength the JSON header's length (the Inference-Header-Content-Length); the rest of the body is
     *                     binary tensor data
     * @throws HttpException 400 naming what is wrong, 413 when it declares or holds more pictures than the batch
     *                       limit (found as soon as the shape or the data passes it, before anything is decoded)
     */
    InferRequest parse(byte[] body, int headerLength) {
        try (JsonParser parser = JSON.createParser(body, 0, headerLength)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw bad("the request must be a JSON object with \"inputs\"");
            }
            String id = null;
            Input input = null;
            List<String> outputs = List.of();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "id" -> id = string(parser, value, "id");
                    case "inputs" -> input = onlyInput(parser, value);
                    case "outputs" -> outputs = outputs(parser, value);
                    default -> parser.skipChildren(); // "parameters" and extensions we do not use
                }
            }
            if (parser.nextToken() != null) {
                throw bad("the body has more after its JSON object");
            }
            if (input == null) {
                throw bad("the request has no \"inputs\"");
            }
            input.takeBinary(body, headerLength);
            return input.toRequest(Optional.ofNullable(id), outputs);
        } catch (StreamConstraintsException e) {
            throw bad("the body is nested deeper than " + MAX_DEPTH + " levels");
        } catch (JsonProcessingException e) {
            throw bad("the body is not valid JSON" + (e.getMessage() != null && e.getMessage()
                    .startsWith("Duplicate field") ? " (a key appears twice)" : "") + (e.getLocation() == null ? "" : " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw bad("the body could not be read: " + e.getMessage());
        }
    }

    /** The one input tensor; a second one is refused when it starts, not after it is read. */
    private Input onlyInput(JsonParser parser, JsonToken start) throws IOException {
        expect(start, JsonToken.START_ARRAY, "\"inputs\" must be an array of tensors");
        Input input = null;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (input != null) {
                throw bad("the model takes exactly one input tensor, the request has more");
            }
            expect(parser.currentToken(), JsonToken.START_OBJECT, "each input must be an object");
            input = input(parser);
        }
        if (input == null) {
            throw bad("the model takes exactly one input tensor, the request has 0");
        }
        return input;
    }

    private Input input(JsonParser parser) throws IOException {
        Input input = new Input(maxBatch);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "name" -> input.name = string(parser, value, "an input's name");
                case "datatype" -> input.datatype = string(parser, value, "an input's datatype");
                case "shape" -> input.shape(shape(parser, value));
                case "data" -> {
                    expect(value, JsonToken.START_ARRAY, "an input's data must be an array");
                    input.hasData = true;
                    readData(parser, input.data);
                }
                case "parameters" -> {
                    expect(value, JsonToken.START_OBJECT, "an input's parameters must be an object");
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        boolean binarySize = parser.currentName().equals("binary_data_size");
                        JsonToken parameter = parser.nextToken();
                        if (binarySize) {
                            expect(parameter, JsonToken.VALUE_NUMBER_INT, "binary_data_size must be an integer");
                            input.binarySize = parser.getLongValue();
                        } else {
                            parser.skipChildren();
                        }
                    }
                }
                default -> parser.skipChildren();
            }
        }
        return input;
    }

    /** The outputs asked for, each once, in the order first asked (a name repeated costs nothing more). */
    private static List<String> outputs(JsonParser parser, JsonToken start) throws IOException {
        expect(start, JsonToken.START_ARRAY, "\"outputs\" must be an array");
        Set<String> names = new LinkedHashSet<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            expect(parser.currentToken(), JsonToken.START_OBJECT, "each requested output must be an object");
            String name = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("name")) {
                    name = string(parser, value, "an output's name");
                } else {
                    parser.skipChildren();
                }
            }
            if (!PROBABILITY.equals(name) && !LABEL.equals(name)) {
                throw bad("unknown output \"" + name + "\"; the model has \"" + PROBABILITY + "\" and \""
                        + LABEL + "\"");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    private static long[] shape(JsonParser parser, JsonToken start) throws IOException {
        expect(start, JsonToken.START_ARRAY, "an input's shape must be an array of integers");
        long[] shape = new long[4];
        int size = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            expect(parser.currentToken(), JsonToken.VALUE_NUMBER_INT, "an input's shape must be an array of integers");
            if (size == MAX_DIMENSIONS) {
                throw bad("an input's shape has more than " + MAX_DIMENSIONS + " dimensions");
            }
            if (size == shape.length) {
                shape = Arrays.copyOf(shape, size * 2);
            }
            shape[size++] = parser.getLongValue();
        }
        return Arrays.copyOf(shape, size);
    }

    /** Appends every element of a (possibly nested) data array, in row-major order. */
    private static void readData(JsonParser parser, Data data) throws IOException {
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            switch (token) {
                case START_ARRAY -> readData(parser, data);
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> data.number(parser.getFloatValue());
                case VALUE_STRING -> data.string(parser.getText());
                default -> throw bad("tensor data may hold numbers (UINT8, FP32) or strings (BYTES), not " + token);
            }
        }
    }

    private static String string(JsonParser parser, JsonToken token, String what) throws IOException {
        expect(token, JsonToken.VALUE_STRING, what + " must be a string");
        return parser.getText();
    }

    private static void expect(JsonToken actual, JsonToken expected, String message) {
        if (actual != expected) {
            throw bad(message);
        }
    }

    static HttpException bad(String message) {
        return ErrorResponses.badRequest(message);
    }

    private static HttpException overBatch(long pictures, int maxBatch) {
        return new HttpException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code(), "a batch of " + pictures
                + " pictures is above the limit of " + maxBatch);
    }

    /**
     * The data of one tensor as it is read; the datatype and shape may come after the data in the object, so the
     * data is bounded by the batch limit alone: never more than a full batch of pixels or of files is held.
     */
    private static final class Data {
        private final int maxBatch;
        private float[] numbers;
        private int size;
        private List<String> strings;

        Data(int maxBatch) {
            this.maxBatch = maxBatch;
        }

        void number(float value) {
            if (strings != null) {
                throw bad("tensor data mixes numbers and strings");
            }
            if (numbers == null) {
                numbers = new float[VALUES_PER_PICTURE];
            } else if (size == numbers.length) {
                if (size >= maxBatch * VALUES_PER_PICTURE) {
                    throw overBatch(size / VALUES_PER_PICTURE + 1, maxBatch);
                }
                numbers = Arrays.copyOf(numbers, (int) Math.min((long) size * 2, (long) maxBatch * VALUES_PER_PICTURE));
            }
            numbers[size++] = value;
        }

        void string(String value) {
            if (size > 0) {
                throw bad("tensor data mixes numbers and strings");
            }
            if (strings == null) {
                strings = new ArrayList<>();
            }
            if (strings.size() == maxBatch) {
                throw overBatch(maxBatch + 1L, maxBatch);
            }
            strings.add(value);
        }

        int length() {
            return strings != null ? strings.size() : size;
        }
    }

    /** One input tensor as read, checked when complete. */
    private static final class Input {
        private final int maxBatch;
        private String name;
        private String datatype;
        private long[] shape;
        private final Data data;
        private boolean hasData;
        /** From its parameters; -1 when its data is JSON. */
        private long binarySize = -1;
        /** The raw data after the JSON header, when binarySize is given. */
        private byte[] binary;

        Input(int maxBatch) {
            this.maxBatch = maxBatch;
            this.data = new Data(maxBatch);
        }

        /** Refuses a batch above the limit as soon as its shape says so, before its data is read. */
        void shape(long[] declared) {
            if (declared.length > 0 && declared[0] > maxBatch) {
                throw overBatch(declared[0], maxBatch);
            }
            shape = declared;
        }

        /** Takes this input's raw data from after the header, checking it is all there is and no more. */
        void takeBinary(byte[] body, int headerLength) {
            int following = body.length - headerLength;
            if (binarySize < 0) {
                if (following > 0) {
                    throw bad(following + " bytes follow the JSON header, but no input declares binary_data_size");
                }
                return;
            }
            if (hasData) {
                throw bad("input \"" + name + "\" has both \"data\" and binary_data_size; send one of them");
            }
            if (binarySize != following) {
                throw bad("input \"" + name + "\": binary_data_size is " + binarySize + " but " + following
                        + " bytes follow the JSON header");
            }
            binary = Arrays.copyOfRange(body, headerLength, body.length);
        }

        InferRequest toRequest(Optional<String> id, List<String> outputs) {
            if (name == null) {
                throw bad("the input has no \"name\"");
            }
            if (datatype == null || shape == null) {
                throw bad("input \"" + name + "\" needs \"datatype\" and \"shape\"");
            }
            return switch (datatype) {
                case UINT8, FP32 -> pixels(id, outputs);
                case BYTES -> files(id, outputs);
                default -> throw bad("input \"" + name + "\": datatype " + datatype + " is not supported; use "
                        + UINT8 + " or " + FP32 + " with shape [N, 64, 64, 3], or " + BYTES + " with shape [N]");
            };
        }

        private InferRequest pixels(Optional<String> id, List<String> outputs) {
            if (shape.length != 4 || shape[0] < 1 || shape[1] != SIDE || shape[2] != SIDE || shape[3] != CHANNELS) {
                throw bad("input \"" + name + "\": shape must be [N, " + SIDE + ", " + SIDE + ", " + CHANNELS
                        + "] with N >= 1, got " + Arrays.toString(shape));
            }
            if (shape[0] > Integer.MAX_VALUE / VALUES_PER_PICTURE) {
                throw bad("input \"" + name + "\": " + shape[0] + " pictures is far too many for one request");
            }
            int count = (int) shape[0];
            if (binary != null) {
                return new InferRequest(id, name, datatype, count, binaryPixels(count), null, outputs);
            }
            if (data.strings != null || data.length() != shape[0] * VALUES_PER_PICTURE) {
                throw bad("input \"" + name + "\": shape " + Arrays.toString(shape) + " needs "
                        + shape[0] * VALUES_PER_PICTURE + " numbers, data has " + data.length()
                        + (data.strings != null ? " strings" : ""));
            }
            return new InferRequest(id, name, datatype, count,
                    datatype.equals(UINT8) ? uint8() : fp32(), null, outputs);
        }

        private byte[] uint8() {
            byte[] bytes = new byte[data.size];
            for (int i = 0; i < data.size; i++) {
                float value = data.numbers[i];
                if (value < 0 || value > MAX_UINT8 || value != Math.rint(value)) {
                    throw bad("input \"" + name + "\": UINT8 data must be integers 0..255, found " + value
                            + " at index " + i);
                }
                bytes[i] = (byte) (int) value;
            }
            return bytes;
        }

        private byte[] fp32() {
            ByteBuffer buffer = ByteBuffer.allocate(data.size * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < data.size; i++) {
                buffer.putFloat(finite(data.numbers[i], i));
            }
            return buffer.array();
        }

        private float finite(float value, int index) {
            if (!Float.isFinite(value)) {
                throw bad("input \"" + name + "\": FP32 value at index " + index + " is out of range");
            }
            return value;
        }

        /** UINT8 bytes as they came, or FP32 little-endian floats as they came once each is checked finite. */
        private byte[] binaryPixels(int count) {
            int bytesPerValue = datatype.equals(UINT8) ? 1 : Float.BYTES;
            long expected = (long) count * VALUES_PER_PICTURE * bytesPerValue;
            if (binary.length != expected) {
                throw bad("input \"" + name + "\": shape " + Arrays.toString(shape) + " needs " + expected
                        + " bytes of " + datatype + ", binary_data_size is " + binary.length);
            }
            if (datatype.equals(FP32)) {
                ByteBuffer floats = ByteBuffer.wrap(binary).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < binary.length / Float.BYTES; i++) {
                    finite(floats.getFloat(), i);
                }
            }
            return binary;
        }

        private InferRequest files(Optional<String> id, List<String> outputs) {
            boolean vector = shape.length == 1 || shape.length == 2 && shape[1] == 1;
            if (!vector || shape[0] < 1) {
                throw bad("input \"" + name + "\": a " + BYTES + " input has shape [N] (or [N, 1]) with N >= 1, got "
                        + Arrays.toString(shape));
            }
            if (binary != null) {
                List<byte[]> files = lengthPrefixed();
                return new InferRequest(id, name, datatype, files.size(), null, files, outputs);
            }
            if (data.strings == null && data.size > 0 || data.length() != shape[0]) {
                throw bad("input \"" + name + "\": shape " + Arrays.toString(shape) + " needs " + shape[0]
                        + " base64 strings, data has " + data.length() + (data.strings == null ? " numbers" : ""));
            }
            List<byte[]> files = new ArrayList<>(data.strings.size());
            for (int i = 0; i < data.strings.size(); i++) {
                files.add(base64(data.strings.get(i), i));
            }
            return new InferRequest(id, name, datatype, files.size(), null, files, outputs);
        }

        /** BYTES elements as the binary extension sends them: a 4-byte little-endian length, then the bytes. */
        private List<byte[]> lengthPrefixed() {
            ByteBuffer in = ByteBuffer.wrap(binary).order(ByteOrder.LITTLE_ENDIAN);
            List<byte[]> files = new ArrayList<>();
            while (in.hasRemaining()) {
                if (files.size() == shape[0]) {
                    throw bad("input \"" + name + "\": shape " + Arrays.toString(shape) + " needs " + shape[0]
                            + " elements, the binary data has more");
                }
                int length = in.remaining() >= Integer.BYTES ? in.getInt() : -1;
                if (length < 0 || length > in.remaining()) {
                    throw bad("input \"" + name + "\": element " + files.size() + " of the binary data runs past its "
                            + "end (each element is a 4-byte little-endian length, then that many bytes)");
                }
                byte[] file = new byte[length];
                in.get(file);
                files.add(file);
            }
            if (files.size() != shape[0]) {
                throw bad("input \"" + name + "\": shape " + Arrays.toString(shape) + " needs " + shape[0]
                        + " elements, the binary data has " + files.size());
            }
            return files;
        }

        private byte[] base64(String text, int index) {
            String trimmed = text.trim();
            try {
                boolean urlSafe = trimmed.indexOf('-') >= 0 || trimmed.indexOf('_') >= 0;
                return (urlSafe ? Base64.getUrlDecoder() : Base64.getMimeDecoder()).decode(trimmed);
            } catch (IllegalArgumentException e) {
                throw bad("input \"" + name + "\": element " + index + " is not base64 (" + e.getMessage() + ")");
            }
        }
    }
}
