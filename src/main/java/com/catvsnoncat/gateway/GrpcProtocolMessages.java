package com.catvsnoncat.gateway;

import com.catvsnoncat.classifier.ClassifierApi;
import com.catvsnoncat.gateway.ProtocolShapes.InferResponse;
import com.catvsnoncat.gateway.ProtocolShapes.ModelMetadata;
import com.catvsnoncat.gateway.ProtocolShapes.OutputTensor;
import com.catvsnoncat.gateway.ProtocolShapes.TensorMetadata;
import com.catvsnoncat.grpc.v2.InferStatistics;
import com.catvsnoncat.grpc.v2.InferTensorContents;
import com.catvsnoncat.grpc.v2.ModelInferRequest;
import com.catvsnoncat.grpc.v2.ModelInferRequest.InferInputTensor;
import com.catvsnoncat.grpc.v2.ModelInferResponse;
import com.catvsnoncat.grpc.v2.ModelInferResponse.InferOutputTensor;
import com.catvsnoncat.grpc.v2.ModelMetadataResponse;
import com.catvsnoncat.grpc.v2.ModelStatistics;
import com.catvsnoncat.grpc.v2.ModelStatisticsResponse;
import com.catvsnoncat.grpc.v2.RepositoryIndexResponse;
import com.catvsnoncat.grpc.v2.StatisticDuration;
import com.google.protobuf.ByteString;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The gRPC messages of the Open Inference Protocol as the REST API's own records: a {@code ModelInferRequest} becomes
 * the same checked {@link InferRequest} the REST route makes, through the same {@link TensorPayload} rules (datatype,
 * shape, length, range, batch limit), and {@link ProtocolShapes}' responses become their gRPC messages. The input's data may be typed contents ({@code uint_contents} for UINT8,
 * {@code fp32_contents} for FP32, {@code bytes_contents} for BYTES: each element a picture file) or
 * {@code raw_input_contents}, which is the binary extension's layout (UINT8 bytes, FP32 little-endian, BYTES as
 * 4-byte little-endian lengths each followed by the element), so it goes through that path unchanged.
 */
final class GrpcProtocolMessages {
    private final int maxBatch;

    GrpcProtocolMessages(int maxBatch) {
        this.maxBatch = maxBatch;
    }

    InferRequest request(ModelInferRequest message) {
        ModelInputs.checkCount(message.getInputsCount());
        InferInputTensor input = message.getInputs(0);
        TensorPayload payload = new TensorPayload(maxBatch);
        payload.name(input.getName().isEmpty() ? null : input.getName());
        payload.datatype(input.getDatatype());
        payload.shape(input.getShapeList().stream().mapToLong(Long::longValue).toArray());
        if (message.getRawInputContentsCount() > 0) {
            raw(payload, message, input);
        } else {
            typed(payload, input);
        }
        // No binary outputs: a gRPC answer carries its tensors as typed contents.
        return payload.toRequest(message.getId().isEmpty() ? Optional.empty() : Optional.of(message.getId()),
                outputs(message), Set.of());
    }

    private static void raw(TensorPayload payload, ModelInferRequest message, InferInputTensor input) {
        if (message.getRawInputContentsCount() != 1) {
            throw InferRequestParser.bad("raw_input_contents has " + message.getRawInputContentsCount()
                    + " entries for 1 input");
        }
        if (input.hasContents()) {
            throw InferRequestParser.bad("input \"" + input.getName() + "\" has both contents and "
                    + "raw_input_contents; send one of them");
        }
        binary(payload, message.getRawInputContents(0).toByteArray());
    }

    private static void binary(TensorPayload payload, byte[] bytes) {
        payload.binaryDataSize(bytes.length);
        payload.takeBinary(bytes, 0);
    }

    /** The contents field of the input's datatype; any other field filled is a mistake worth naming. */
    private static void typed(TensorPayload payload, InferInputTensor input) {
        InferTensorContents contents = input.getContents();
        int others = contents.getBoolContentsCount() + contents.getIntContentsCount()
                + contents.getInt64ContentsCount() + contents.getUint64ContentsCount()
                + contents.getFp64ContentsCount();
        String datatype = input.getDatatype();
        String field = switch (datatype) {
            case TensorPayload.UINT8 -> "uint_contents";
            case TensorPayload.FP32 -> "fp32_contents";
            case TensorPayload.BYTES -> "bytes_contents";
            default -> null;
        };
        boolean wrongField = field != null && (others > 0
                || !datatype.equals(TensorPayload.UINT8) && contents.getUintContentsCount() > 0
                || !datatype.equals(TensorPayload.FP32) && contents.getFp32ContentsCount() > 0
                || !datatype.equals(TensorPayload.BYTES) && contents.getBytesContentsCount() > 0);
        if (wrongField) {
            throw InferRequestParser.bad("input \"" + input.getName() + "\": " + datatype + " data goes in "
                    + field + " (or raw_input_contents)");
        }
        if (datatype.equals(TensorPayload.BYTES)) {
            binary(payload, lengthPrefixed(contents.getBytesContentsList()));
            return;
        }
        // Indexed, not through the boxed lists: a batch is up to millions of values.
        TensorPayload.Values data = payload.data();
        for (int i = 0; i < contents.getUintContentsCount(); i++) {
            data.number(Integer.toUnsignedLong(contents.getUintContents(i)));
        }
        for (int i = 0; i < contents.getFp32ContentsCount(); i++) {
            data.number(contents.getFp32Contents(i));
        }
    }

    /** BYTES elements in the binary extension's layout, so one path checks them all. */
    private static byte[] lengthPrefixed(List<ByteString> elements) {
        long size = 0;
        for (ByteString element : elements) {
            size += Integer.BYTES + element.size();
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
        for (ByteString element : elements) {
            out.putInt(element.size());
            element.copyTo(out);
        }
        return out.array();
    }

    private static List<String> outputs(ModelInferRequest message) {
        Set<String> names = new LinkedHashSet<>();
        message.getOutputsList().forEach(output -> names.add(InferRequestParser.outputName(output.getName())));
        return List.copyOf(names);
    }

    /** The REST response's records as the gRPC message: probabilities as fp64_contents, labels as bytes_contents. */
    static ModelInferResponse response(InferResponse response) {
        ModelInferResponse.Builder message = ModelInferResponse.newBuilder()
                .setModelName(response.modelName()).setModelVersion(response.modelVersion());
        response.id().ifPresent(message::setId);
        for (OutputTensor output : response.outputs()) {
            InferOutputTensor.Builder tensor = InferOutputTensor.newBuilder()
                    .setName(output.metadata().name()).setDatatype(output.metadata().datatype());
            Arrays.stream(output.metadata().shape()).forEach(tensor::addShape);
            InferTensorContents.Builder contents = InferTensorContents.newBuilder();
            for (Object value : output.data()) {
                if (value instanceof Number number) {
                    contents.addFp64Contents(number.doubleValue());
                } else {
                    contents.addBytesContents(ByteString.copyFromUtf8(String.valueOf(value)));
                }
            }
            message.addOutputs(tensor.setContents(contents));
        }
        return message.build();
    }

    /** The repository index's rows ({@link AdminRoutes#indexRows}) as the gRPC message. */
    static RepositoryIndexResponse repositoryIndex(JsonArray rows) {
        RepositoryIndexResponse.Builder message = RepositoryIndexResponse.newBuilder();
        for (Object entry : rows) {
            JsonObject row = (JsonObject) entry;
            message.addModels(RepositoryIndexResponse.ModelIndex.newBuilder()
                    .setName(row.getString(ClassifierApi.NAME)).setVersion(row.getString(ClassifierApi.VERSION))
                    .setState(row.getString(ClassifierApi.STATE)).setReason(row.getString(ClassifierApi.REASON, "")));
        }
        return message.build();
    }

    /**
     * The classifier's {@link ClassifierApi#STATS} reply, which REST answers as it is, as the gRPC message. Triton's
     * phase names are the names of InferStatistics' fields.
     */
    static ModelStatisticsResponse statistics(JsonObject reply) {
        ModelStatisticsResponse.Builder message = ModelStatisticsResponse.newBuilder();
        for (Object entry : reply.getJsonArray(ClassifierApi.MODEL_STATS)) {
            JsonObject version = (JsonObject) entry;
            JsonObject phases = version.getJsonObject(ClassifierApi.INFERENCE_STATS);
            InferStatistics.Builder inference = InferStatistics.newBuilder();
            for (String phase : phases.fieldNames()) {
                JsonObject duration = phases.getJsonObject(phase);
                inference.setField(InferStatistics.getDescriptor().findFieldByName(phase), StatisticDuration
                        .newBuilder().setCount(duration.getLong(ClassifierApi.DURATION_COUNT))
                        .setNs(duration.getLong(ClassifierApi.DURATION_NS)).build());
            }
            message.addModelStats(ModelStatistics.newBuilder().setName(version.getString(ClassifierApi.NAME))
                    .setVersion(version.getString(ClassifierApi.VERSION))
                    .setLastInference(version.getLong(ClassifierApi.LAST_INFERENCE))
                    .setInferenceCount(version.getLong(ClassifierApi.INFERENCE_COUNT))
                    .setExecutionCount(version.getLong(ClassifierApi.EXECUTION_COUNT))
                    .setInferenceStats(inference));
        }
        return message.build();
    }

    static ModelMetadataResponse modelMetadata(ModelMetadata metadata) {
        ModelMetadataResponse.Builder message = ModelMetadataResponse.newBuilder().setName(metadata.name())
                .addAllVersions(metadata.versions()).setPlatform(metadata.platform());
        metadata.inputs().forEach(tensor -> message.addInputs(tensorMetadata(tensor)));
        metadata.outputs().forEach(tensor -> message.addOutputs(tensorMetadata(tensor)));
        return message.build();
    }

    private static ModelMetadataResponse.TensorMetadata tensorMetadata(TensorMetadata tensor) {
        ModelMetadataResponse.TensorMetadata.Builder message = ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(tensor.name()).setDatatype(tensor.datatype());
        Arrays.stream(tensor.shape()).forEach(message::addShape);
        return message.build();
    }
}
