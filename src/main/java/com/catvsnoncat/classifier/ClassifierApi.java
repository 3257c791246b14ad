package com.catvsnoncat.classifier;

/**
 * The classifier's event-bus contract, used by the gateway and by any other verticle. Bodies are JsonObjects with
 * the same field names as the HTTP API; failures are {@link com.catvsnoncat.bus.Failure} codes.
 *
 * <ul>
 *   <li>{@link #CLASSIFY}: {@code {"url": "https://..."}} or {@code {"image": <bytes>}} (a byte[] in the JsonObject,
 *   base64 in JSON text) -> {@code {"label": "cat"|"non-cat", "probability": p(cat), "model": {"name", "version"},
 *   "timings": {"fetchMs", "decodeMs", "inferMs", "totalMs"}}}</li>
 *   <li>{@link #EXPLAIN}: same request -> the classify reply plus {@code "saliency": <PNG bytes>} (an overlay of
 *   |d output / d input| on the 64x64 picture) and {@code "picture": <PNG bytes>} (the 64x64 input).</li>
 *   <li>{@link #INFER}: a batch, {@code {"images": [<bytes>...]}} (encoded files) or {@code {"pixels": <bytes>,
 *   "count": N, "datatype": "UINT8"|"FP32"}} (N x 64 x 64 x 3, row-major, FP32 little-endian in 0..255)
 *   -> {@code {"probabilities": [..], "labels": [..], "model": {...}}}</li>
 *   <li>{@link #MODEL}: {@code {}} -> the model's metadata (layers, accuracies, training settings, cost curve)</li>
 *   <li>{@link #READY}: {@code {}} -> {@code {"ready": true|false, "model": {...}}}</li>
 *   <li>{@link #RELOAD}: {@code {"path": "/models/new.npz"}} (or {} for the configured path) -> the new model's
 *   {"name", "version"}; a file that fails to load leaves the old model serving (failure 422).</li>
 * </ul>
 */
public final class ClassifierApi {
    public static final String CLASSIFY = "catvsnoncat.classifier.classify";
    public static final String EXPLAIN = "catvsnoncat.classifier.explain";
    public static final String INFER = "catvsnoncat.classifier.infer";
    public static final String MODEL = "catvsnoncat.classifier.model";
    public static final String READY = "catvsnoncat.classifier.ready";
    public static final String RELOAD = "catvsnoncat.classifier.reload";

    public static final String URL = "url";
    public static final String IMAGE = "image";
    public static final String IMAGES = "images";
    public static final String PIXELS = "pixels";
    public static final String COUNT = "count";
    public static final String DATATYPE = "datatype";
    public static final String PATH = "path";

    public static final String LABEL = "label";
    public static final String PROBABILITY = "probability";
    public static final String PROBABILITIES = "probabilities";
    public static final String LABELS = "labels";
    public static final String MODEL_INFO = "model";
    public static final String TIMINGS = "timings";
    public static final String SALIENCY = "saliency";
    public static final String PICTURE = "picture";
    public static final String READY_FLAG = "ready";

    public static final String CAT = "cat";
    public static final String NON_CAT = "non-cat";

    private ClassifierApi() {
    }
}
