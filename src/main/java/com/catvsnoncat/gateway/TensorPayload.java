package com.catvsnoncat.gateway;

import static com.catvsnoncat.gateway.InferRequestParser.bad;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.handler.HttpException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One input tensor of an Open Inference Protocol request as {@link InferRequestParser} reads it, and the decoding
 * of its payload once the request is read: JSON numbers into UINT8 bytes or FP32 little-endian floats, JSON strings
 * as base64 files, or the binary tensor data extension's raw bytes (UINT8, FP32, or length-prefixed BYTES elements);
 * and the extension's bytes of the outputs (FP64, BYTES).
 * Every rule on name ({@link ModelInputs}), datatype, shape, length and range is checked here, and the error names
 * the input.
 */
final class TensorPayload {
    static final String UINT8 = "UINT8";
    static final String FP32 = "FP32";
    static final String BYTES = "BYTES";
    static final int SIDE = 64;
    static final int CHANNELS = 3;
    static final int VALUES_PER_PICTURE = SIDE * SIDE * CHANNELS;
    private static final int MAX_UINT8 = 255;

    private final int maxBatch;
    private final Values values;
    private String name;
    private String datatype;
    private long[] shape;
    private boolean hasData;
    /** From its parameters; -1 when its data is JSON. */
    private long binarySize = -1;
    /** The raw data after the JSON header, when binarySize is given. */
    private byte[] binary;

    TensorPayload(int maxBatch) {
        this.maxBatch = maxBatch;
        this.values = new Values(maxBatch);
    }

    void name(String name) {
        this.name = name;
    }

    void datatype(String datatype) {
        this.datatype = datatype;
    }

    /** Refuses a batch above the limit as soon as its shape says so, before its data is read. */
    void shape(long[] declared) {
        if (declared.length > 0 && declared[0] > maxBatch) {
            throw overBatch(declared[0], maxBatch);
        }
        shape = declared;
    }

    void binaryDataSize(long size) {
        binarySize = size;
    }

    /** Where the JSON "data" array's elements go, in row-major order. */
    Values data() {
        hasData = true;
        return values;
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

    InferRequest toRequest(Optional<String> id, List<String> outputs, Set<String> binaryOutputs) {
        ModelInputs.checkName(name);
        if (datatype == null || shape == null) {
            throw bad("input \"" + name + "\" needs \"datatype\" and \"shape\"");
        }
        ModelInputs.checkDatatype(name, datatype);
        return datatype.equals(BYTES) ? files(id, outputs, binaryOutputs) : pixels(id, outputs, binaryOutputs);
    }

    /** FP64 values as the binary extension sends them: 8-byte little-endian doubles. */
    static byte[] fp64(JsonArray values) {
        ByteBuffer out = ByteBuffer.allocate(values.size() * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.size(); i++) {
            out.putDouble(values.getDouble(i));
        }
        return out.array();
    }

    /** BYTES elements as the binary extension sends them: a 4-byte little-endian length, then the UTF-8 bytes. */
    static byte[] lengthPrefixed(JsonArray strings) {
        List<byte[]> elements = new ArrayList<>(strings.size());
        int size = 0;
        for (int i = 0; i < strings.size(); i++) {
            byte[] element = strings.getString(i).getBytes(StandardCharsets.UTF_8);
            elements.add(element);
            size += Integer.BYTES + element.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        elements.forEach(element -> out.putInt(element.length).put(element));
        return out.array();
    }

    private static HttpException overBatch(long pictures, int maxBatch) {
        return new HttpException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code(), "a batch of " + pictures
                + " pictures is above the limit of " + maxBatch);
    }

    private InferRequest pixels(Optional<String> id, List<String> outputs, Set<String> binaryOutputs) {
        if (shape.length != 4 || shape[0] < 1 || shape[1] != SIDE || shape[2] != SIDE || shape[3] != CHANNELS) {
            throw bad("input \"" + name + "\": shape must be [N, " + SIDE + ", " + SIDE + ", " + CHANNELS
                    + "] with N >= 1, got " + Arrays.toString(shape));
        }
        if (shape[0] > Integer.MAX_VALUE / VALUES_PER_PICTURE) {
            throw bad("input \"" + name + "\": " + shape[0] + " pictures is far too many for one request");
        }
        int count = (int) shape[0];
        if (binary != null) {
            return new InferRequest(id, name, datatype, count, binaryPixels(count), null, outputs, binaryOutputs);
        }
        if (values.strings != null || values.length() != shape[0] * VALUES_PER_PICTURE) {
            throw bad("input \"" + name + "\": shape " + Arrays.toString(shape) + " needs "
                    + shape[0] * VALUES_PER_PICTURE + " numbers, data has " + values.length()
                    + (values.strings != null ? " strings" : ""));
        }
        return new InferRequest(id, name, datatype, count, datatype.equals(UINT8) ? uint8() : fp32(), null, outputs,
                binaryOutputs);
    }

    private byte[] uint8() {
        byte[] bytes = new byte[values.size];
        for (int i = 0; i < values.size; i++) {
            float value = values.numbers[i];
            if (value < 0 || value > MAX_UINT8 || value != Math.rint(value)) {
                throw bad("input \"" + name + "\": UINT8 data must be integers 0..255, found " + value
                        + " at index " + i);
            }
            bytes[i] = (byte) (int) value;
        }
        return bytes;
    }

    private byte[] fp32() {
        ByteBuffer buffer = ByteBuffer.allocate(values.size * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.size; i++) {
            buffer.putFloat(finite(values.numbers[i], i));
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

    private InferRequest files(Optional<String> id, List<String> outputs, Set<String> binaryOutputs) {
        boolean vector = shape.length == 1 || shape.length == 2 && shape[1] == 1;
        if (!vector || shape[0] < 1) {
            throw bad("input \"" + name + "\": a " + BYTES + " input has shape [N] (or [N, 1]) with N >= 1, got "
                    + Arrays.toString(shape));
        }
        if (binary != null) {
            List<byte[]> files = lengthPrefixed();
            return new InferRequest(id, name, datatype, files.size(), null, files, outputs, binaryOutputs);
        }
        if (values.strings == null && values.size > 0 || values.length() != shape[0]) {
            throw bad("input \"" + name + "\": shape " + Arrays.toString(shape) + " needs " + shape[0]
                    + " base64 strings, data has " + values.length() + (values.strings == null ? " numbers" : ""));
        }
        List<byte[]> files = new ArrayList<>(values.strings.size());
        for (int i = 0; i < values.strings.size(); i++) {
            files.add(base64(values.strings.get(i), i));
        }
        return new InferRequest(id, name, datatype, files.size(), null, files, outputs, binaryOutputs);
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

    /**
     * The JSON data of one tensor as it is read; the datatype and shape may come after the data in the object, so
     * it is bounded by the batch limit alone: never more than a full batch of pixels or of files is held.
     */
    static final class Values {
        private final int maxBatch;
        private float[] numbers;
        private int size;
        private List<String> strings;

        private Values(int maxBatch) {
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

        private int length() {
            return strings != null ? strings.size() : size;
        }
    }
}
