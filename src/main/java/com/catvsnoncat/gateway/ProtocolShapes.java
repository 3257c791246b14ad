package com.catvsnoncat.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * The Open Inference Protocol v2 response bodies as records (KServe's {@code v2_datamodels}), each written to JSON
 * in the protocol's field names. Requests are {@link InferRequest}.
 */
final class ProtocolShapes {
    private ProtocolShapes() {
    }

    /** {@code GET /v2}. */
    record ServerMetadata(String name, String version, List<String> extensions) {
        JsonObject toJson() {
            return new JsonObject().put("name", name).put("version", version)
                    .put("extensions", new JsonArray(List.copyOf(extensions)));
        }
    }

    /** A tensor's name, datatype and shape (-1 for a dimension of any size), as model metadata lists them. */
    record TensorMetadata(String name, String datatype, long... shape) {
        JsonObject toJson() {
            JsonArray dimensions = new JsonArray();
            for (long dimension : shape) {
                dimensions.add(dimension);
            }
            return new JsonObject().put("name", name).put("datatype", datatype).put("shape", dimensions);
        }
    }

    /** {@code GET /v2/models/{name}}. */
    record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
                         List<TensorMetadata> outputs) {
        JsonObject toJson() {
            return new JsonObject()
                    .put("name", name)
                    .put("versions", new JsonArray(List.copyOf(versions)))
                    .put("platform", platform)
                    .put("inputs", tensors(inputs))
                    .put("outputs", tensors(outputs));
        }

        private static JsonArray tensors(List<TensorMetadata> tensors) {
            JsonArray array = new JsonArray();
            tensors.forEach(tensor -> array.add(tensor.toJson()));
            return array;
        }
    }

    /**
     * One output of an inference response: its metadata and its data, row-major, as JSON or, when {@code binary} is
     * not null, as the binary tensor data extension's bytes after the JSON.
     */
    record OutputTensor(TensorMetadata metadata, JsonArray data, byte[] binary) {
        JsonObject toJson() {
            return binary == null ? metadata.toJson().put("data", data) : metadata.toJson()
                    .put("parameters", new JsonObject().put("binary_data_size", binary.length));
        }
    }

    /** {@code POST /v2/models/{name}/infer}; {@code id} is the request's, echoed. */
    record InferResponse(String modelName, String modelVersion, Optional<String> id, List<OutputTensor> outputs) {
        JsonObject toJson() {
            JsonObject response = new JsonObject().put("model_name", modelName).put("model_version", modelVersion);
            id.ifPresent(value -> response.put("id", value));
            JsonArray tensors = new JsonArray();
            outputs.forEach(output -> tensors.add(output.toJson()));
            return response.put("outputs", tensors);
        }

        boolean hasBinary() {
            return outputs.stream().anyMatch(output -> output.binary() != null);
        }

        /** The binary extension's body: {@code json}, then each binary output's bytes in the outputs' order. */
        Buffer withBinary(Buffer json) {
            Buffer body = Buffer.buffer(json.length() + outputs.stream()
                    .mapToInt(output -> output.binary() == null ? 0 : output.binary().length).sum()).appendBuffer(json);
            outputs.stream().filter(output -> output.binary() != null).forEach(output ->
                    body.appendBytes(output.binary()));
            return body;
        }
    }
}
