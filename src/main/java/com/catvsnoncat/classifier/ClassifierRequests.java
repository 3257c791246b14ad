package com.catvsnoncat.classifier;

import com.catvsnoncat.bus.Failure;
import com.catvsnoncat.model.Model;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads and checks the bodies of {@link ClassifierApi} requests, as {@code gateway/ImageRequests} does for HTTP.
 * Everything cheap is checked here, on the event loop, before any work is queued; the bytes themselves (base64 in
 * JSON text) are decoded later, on a worker, by the records' methods. Failures are {@link ClassifierFailure}s.
 */
final class ClassifierRequests {
    private ClassifierRequests() {
    }

    /** The picture of a CLASSIFY or EXPLAIN request: in the request, or at a URL. */
    sealed interface Picture permits InlinePicture, PictureUrl {
    }

    /** A picture sent in the request; {@link #bytes()} decodes it (blocking: base64 text may be large). */
    record InlinePicture(JsonObject body) implements Picture {
        byte[] bytes() {
            return binary(body, ClassifierApi.IMAGE);
        }
    }

    record PictureUrl(String url) implements Picture {
    }

    /** The batch of an INFER request, its size checked against the limit. */
    sealed interface Batch permits EncodedBatch, PixelBatch {
        /** Decodes the batch and runs the network on it. Blocking. */
        default Classifier.Batch infer(Classifier classifier, Model model) {
            long start = System.nanoTime();
            double[][] inputs = inputs(classifier);
            Classifier.Batch batch = classifier.inferInputs(model, inputs);
            return new Classifier.Batch(batch.probabilities(), System.nanoTime() - start - batch.inferNanos(),
                    batch.inferNanos());
        }

        /** Decodes the batch into the network's input vectors. Blocking. */
        double[][] inputs(Classifier classifier);
    }

    /** Encoded picture files. */
    record EncodedBatch(JsonArray images) implements Batch {
        @Override
        public double[][] inputs(Classifier classifier) {
            List<byte[]> files = new ArrayList<>(images.size());
            for (int i = 0; i < images.size(); i++) {
                files.add(binaryAt(images, i));
            }
            return classifier.inputs(files);
        }
    }

    /** {@code count} pictures of pixels of a datatype already known to be valid. */
    record PixelBatch(JsonObject body, int count, String datatype) implements Batch {
        @Override
        public double[][] inputs(Classifier classifier) {
            return PixelTensors.inputs(binary(body, ClassifierApi.PIXELS), count, datatype);
        }
    }

    static JsonObject object(Object body) {
        if (body instanceof JsonObject json) {
            return json;
        }
        throw new ClassifierFailure(Failure.BAD_REQUEST, "the request must be a JSON object");
    }

    static Picture picture(JsonObject body) {
        Object url = body.getValue(ClassifierApi.URL);
        boolean hasImage = present(body, ClassifierApi.IMAGE);
        if ((url == null) == !hasImage) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "give the picture either as \"" + ClassifierApi.IMAGE
                    + "\" (bytes) or as \"" + ClassifierApi.URL + "\", not " + (hasImage ? "both" : "neither"));
        }
        if (hasImage) {
            return new InlinePicture(body);
        }
        if (!(url instanceof String text)) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "\"" + ClassifierApi.URL + "\" must be a string");
        }
        return new PictureUrl(text);
    }

    static Batch batch(JsonObject body, int maxBatch) {
        boolean hasImages = present(body, ClassifierApi.IMAGES);
        boolean hasPixels = present(body, ClassifierApi.PIXELS);
        if (hasImages == hasPixels) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "give the batch either as \"" + ClassifierApi.IMAGES
                    + "\" (encoded pictures) or as \"" + ClassifierApi.PIXELS + "\" with \"" + ClassifierApi.COUNT
                    + "\" and \"" + ClassifierApi.DATATYPE + "\", not " + (hasImages ? "both" : "neither"));
        }
        if (hasImages) {
            if (!(body.getValue(ClassifierApi.IMAGES) instanceof JsonArray images)) {
                throw new ClassifierFailure(Failure.BAD_REQUEST, "\"" + ClassifierApi.IMAGES + "\" must be an array");
            }
            checkBatchSize(images.size(), maxBatch);
            return new EncodedBatch(images);
        }
        if (!(body.getValue(ClassifierApi.COUNT) instanceof Integer count)) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "\"" + ClassifierApi.COUNT
                    + "\" (the number of pictures in \"" + ClassifierApi.PIXELS + "\") must be an integer");
        }
        checkBatchSize(count, maxBatch);
        String datatype = body.getValue(ClassifierApi.DATATYPE) instanceof String text ? text : null;
        PixelTensors.bytesPerValue(datatype);
        return new PixelBatch(body, count, datatype);
    }

    /** The {@code modelName} a request gives, if any. */
    static Optional<String> modelName(JsonObject body) {
        return optionalString(body, ClassifierApi.MODEL_NAME);
    }

    /** The {@code modelVersion} a request gives, if any. */
    static Optional<String> modelVersion(JsonObject body) {
        return optionalString(body, ClassifierApi.MODEL_VERSION);
    }

    /** The model a repository LOAD or UNLOAD names. */
    static String requiredModelName(JsonObject body) {
        return modelName(body).orElseThrow(() -> new ClassifierFailure(Failure.BAD_REQUEST, "\""
                + ClassifierApi.MODEL_NAME + "\" is required"));
    }

    private static Optional<String> optionalString(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value != null && !(value instanceof String)) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "\"" + field + "\" must be a string");
        }
        return Optional.ofNullable((String) value);
    }

    /** The model file a RELOAD names; empty for the configured one. */
    static Optional<Path> reloadPath(JsonObject body) {
        Object path = body.getValue(ClassifierApi.PATH);
        if (path != null && !(path instanceof String)) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "\"" + ClassifierApi.PATH + "\" must be a string");
        }
        try {
            return Optional.ofNullable((String) path).map(Path::of);
        } catch (InvalidPathException e) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "\"" + ClassifierApi.PATH + "\" is not a valid path: "
                    + e.getReason());
        }
    }

    private static void checkBatchSize(int count, int maxBatch) {
        if (count < 1) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "the batch is empty");
        }
        if (count > maxBatch) {
            throw new ClassifierFailure(Failure.PAYLOAD_TOO_LARGE, "a batch of " + count
                    + " pictures is above the limit of " + maxBatch);
        }
    }

    /**
     * Whether a field holds a value. Not {@code getValue(field) != null}: for the byte[] of a picture or of pixels,
     * Vert.x's getValue returns a base64 copy, a third larger than the bytes, made only to be tested and dropped.
     */
    private static boolean present(JsonObject body, String field) {
        return body.getMap().get(field) != null;
    }

    /** Bytes from a JSON field that holds a byte[] or base64 text. */
    private static byte[] binary(JsonObject body, String field) {
        try {
            byte[] bytes = body.getBinary(field);
            return bytes == null ? new byte[0] : bytes;
        } catch (ClassCastException | IllegalArgumentException e) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "\"" + field + "\" must be bytes (base64 in JSON text)");
        }
    }

    private static byte[] binaryAt(JsonArray array, int index) {
        try {
            byte[] bytes = array.getBinary(index);
            return bytes == null ? new byte[0] : bytes;
        } catch (ClassCastException | IllegalArgumentException e) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "\"" + ClassifierApi.IMAGES + "\"[" + index
                    + "] must be bytes (base64 in JSON text)");
        }
    }
}
