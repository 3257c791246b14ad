package com.catvsnoncat.gateway;

import com.catvsnoncat.classifier.ClassifierApi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A checked Open Inference Protocol v2 inference request, ready for the classifier's {@link ClassifierApi#INFER}:
 * either N pictures as pixels (UINT8 bytes, or FP32 little-endian, N x 64 x 64 x 3 channel-last) or N encoded
 * picture files (BYTES).
 *
 * @param id         the request's id, echoed in the response
 * @param inputName  the name the client gave its input tensor
 * @param datatype   UINT8, FP32 or BYTES
 * @param count      the number of pictures
 * @param pixels     UINT8 or FP32 data, else null
 * @param images     BYTES data (encoded files), else null
 * @param outputs    the outputs asked for; empty for all
 * @param binaryOutputs the outputs to answer in the binary tensor data extension rather than as JSON
 */
record InferRequest(Optional<String> id, String inputName, String datatype, int count, byte[] pixels,
                    List<byte[]> images, List<String> outputs, Set<String> binaryOutputs) {

    JsonObject toMessage() {
        if (images != null) {
            JsonArray files = new JsonArray();
            images.forEach(files::add);
            return new JsonObject().put(ClassifierApi.IMAGES, files);
        }
        return new JsonObject()
                .put(ClassifierApi.PIXELS, pixels)
                .put(ClassifierApi.COUNT, count)
                .put(ClassifierApi.DATATYPE, datatype);
    }
}
