package com.catvsnoncat.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.vertx.ext.web.handler.HttpException;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The JSON grammar of an Open Inference Protocol v2 inference request, read with a streaming parser: tensor data
 * (tens of thousands of numbers per picture, flat or nested) goes straight into a primitive array, never into one
 * object per number. Checks the request's structure (one input, its fields' types, the requested outputs) and says
 * which rule was broken; the input's payload (datatype, shape, data length and range) is {@link TensorPayload}'s.
 *
 * <p>Accepted inputs ({@link ModelInputs}): {@code "input"}, UINT8 or FP32 {@code [N, 64, 64, 3]} (pixels 0..255,
 * channel-last), or {@code "image"}, BYTES {@code [N]} (or {@code [N, 1]}) where each element is the base64 of an
 * encoded picture file.
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
    static final String PROBABILITY = "probability";
    static final String LABEL = "label";
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
            TensorPayload input = null;
            Outputs outputs = new Outputs(List.of(), Map.of());
            boolean binaryDataOutput = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "id" -> id = string(parser, value, "id");
                    case "inputs" -> input = onlyInput(parser, value);
                    case "outputs" -> outputs = outputs(parser, value);
                    case "parameters" -> binaryDataOutput = Boolean.TRUE.equals(flag(parser, value,
                            "binary_data_output"));
                    default -> parser.skipChildren(); // extensions we do not use
                }
            }
            if (parser.nextToken() != null) {
                throw bad("the body has more after its JSON object");
            }
            if (input == null) {
                throw bad("the request has no \"inputs\"");
            }
            input.takeBinary(body, headerLength);
            return input.toRequest(Optional.ofNullable(id), outputs.names(), outputs.binary(binaryDataOutput));
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
    private TensorPayload onlyInput(JsonParser parser, JsonToken start) throws IOException {
        expect(start, JsonToken.START_ARRAY, "\"inputs\" must be an array of tensors");
        TensorPayload input = null;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (input != null) {
                ModelInputs.checkCount(2);
            }
            expect(parser.currentToken(), JsonToken.START_OBJECT, "each input must be an object");
            input = input(parser);
        }
        if (input == null) {
            ModelInputs.checkCount(0);
        }
        return input;
    }

    private TensorPayload input(JsonParser parser) throws IOException {
        TensorPayload input = new TensorPayload(maxBatch);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "name" -> input.name(string(parser, value, "an input's name"));
                case "datatype" -> input.datatype(string(parser, value, "an input's datatype"));
                case "shape" -> input.shape(shape(parser, value));
                case "data" -> {
                    expect(value, JsonToken.START_ARRAY, "an input's data must be an array");
                    readData(parser, input.data());
                }
                case "parameters" -> {
                    expect(value, JsonToken.START_OBJECT, "an input's parameters must be an object");
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        boolean binarySize = parser.currentName().equals("binary_data_size");
                        JsonToken parameter = parser.nextToken();
                        if (binarySize) {
                            expect(parameter, JsonToken.VALUE_NUMBER_INT, "binary_data_size must be an integer");
                            input.binaryDataSize(parser.getLongValue());
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

    /**
     * The outputs asked for, each once, in the order first asked (a name repeated costs nothing more), and those whose
     * parameters say whether they want the binary tensor data extension ({@code "binary_data"}).
     */
    private record Outputs(List<String> names, Map<String, Boolean> binaryData) {
        /** The outputs answered as binary data: as each says, else as the request's {@code binary_data_output}. */
        Set<String> binary(boolean binaryDataOutput) {
            List<String> answered = names.isEmpty() ? List.of(PROBABILITY, LABEL) : names;
            return answered.stream().filter(name -> binaryData.getOrDefault(name, binaryDataOutput))
                    .collect(Collectors.toUnmodifiableSet());
        }
    }

    private static Outputs outputs(JsonParser parser, JsonToken start) throws IOException {
        expect(start, JsonToken.START_ARRAY, "\"outputs\" must be an array");
        Set<String> names = new LinkedHashSet<>();
        Map<String, Boolean> binaryData = new HashMap<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            expect(parser.currentToken(), JsonToken.START_OBJECT, "each requested output must be an object");
            String name = null;
            Boolean binary = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("name")) {
                    name = string(parser, value, "an output's name");
                } else if (field.equals("parameters")) {
                    binary = flag(parser, value, "binary_data");
                } else {
                    parser.skipChildren();
                }
            }
            names.add(outputName(name));
            if (binary != null) {
                binaryData.put(name, binary);
            }
        }
        return new Outputs(List.copyOf(names), Map.copyOf(binaryData));
    }

    /**
     * A boolean among parameters, null when absent; the other parameters are skipped, and so are parameters that are
     * not an object (they were ignored before binary outputs, and a client may send anything there).
     */
    private static Boolean flag(JsonParser parser, JsonToken start, String key) throws IOException {
        if (start != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        Boolean flag = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            boolean wanted = parser.currentName().equals(key);
            JsonToken value = parser.nextToken();
            if (!wanted) {
                parser.skipChildren();
            } else if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
                flag = value == JsonToken.VALUE_TRUE;
            } else {
                throw bad(key + " must be true or false");
            }
        }
        return flag;
    }

    /** The name of an output the model has; any other is a 400 naming the two it has. */
    static String outputName(String name) {
        if (!PROBABILITY.equals(name) && !LABEL.equals(name)) {
            throw bad("unknown output \"" + name + "\"; the model has \"" + PROBABILITY + "\" and \""
                    + LABEL + "\"");
        }
        return name;
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
    private static void readData(JsonParser parser, TensorPayload.Values data) throws IOException {
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
}
