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
 *   <li>{@link #LIST}: {@code {}} -> {@code {"defaultModel": name, "models": [{"name", "versions": [..]}]}}, the
 *   served models and their versions, lowest first.</li>
 *   <li>{@link #STATS}: {@code {"modelName"?, "modelVersion"?}} -> {@code {"model_stats": [...]}}, Triton's
 *   statistics of each served version of the model (or of the one version named), see {@link ModelStatistics};
 *   without a name, of every served version of every model, by name then version (a version alone is a 400).</li>
 *   <li>{@link #REPOSITORY_INDEX}: {@code {}} -> {@code {"models": [{"name", "version", "state": "READY" |
 *   "LOADING" | "UNAVAILABLE", "reason"}]}}, every version in the repository or served.</li>
 *   <li>{@link #REPOSITORY_LOAD}, {@link #REPOSITORY_UNLOAD}: {@code {"modelName": "..."}} -> {@code {}}; unload
 *   stops serving every version of the model (requests in flight finish), load serves them again.</li>
 * </ul>
 *
 * <p>CLASSIFY, EXPLAIN, INFER, MODEL and READY take an optional {@code "modelName"} and {@code "modelVersion"}
 * (strings): without a name the default model answers, without a version its highest ready version. Their replies
 * carry {@code "served": {"name", "version"}}, the model and version that answered as the repository names them;
 * {@code "model"} stays what the model file itself says. MODEL's reply also lists the model's served
 * {@code "versions"}. Whenever the set of served model names changes, {@link #MODELS_CHANGED} is published with
 * {@code {"models": [names]}}.
 *
 * <p>Failure codes ({@link com.catvsnoncat.bus.Failure}), the same for every address:
 * <ul>
 *   <li>400: no {@code url} and no {@code image} (or both), a field of the wrong type, an empty picture, a URL that
 *   is not http(s) or carries user:password, a {@code pixels} length that is not {@code count} x 64 x 64 x 3
 *   values of the datatype, FP32 values outside 0..255, an unknown datatype.</li>
 *   <li>413: a picture above the pixel or side limit ({@code maxPixels}, {@code maxSide}, checked from the header
 *   before decoding: the remedy is the same as for a too-large upload, a smaller picture), a download above the body cap
 *   ({@code fetch.maxBytes}), a batch of more than {@code maxBatch} images.</li>
 *   <li>415: bytes that are not JPEG, PNG, GIF, BMP, WebP or TIFF (HEIC and AVIF are named as such).</li>
 *   <li>404: a model name or version that is not served.</li>
 *   <li>422: a truncated or damaged picture; a URL whose host cannot be resolved or reached, or resolves to an
 *   address the service does not fetch from (loopback, private, link-local, ...), or that redirects more than
 *   {@code fetch.maxRedirects} times, or answers 4xx; a model file that does not load (RELOAD).</li>
 *   <li>502: the image URL answered 5xx or broke off.</li>
 *   <li>503: more work in flight and queued than {@code workers + maxQueued}; retry later.</li>
 *   <li>504: the request's deadline ({@code deadlineMs}) or the download's ({@code fetch.timeoutMs},
 *   {@code fetch.connectTimeoutMs}) passed.</li>
 * </ul>
 */
public final class ClassifierApi {
    public static final String CLASSIFY = "catvsnoncat.classifier.classify";
    public static final String EXPLAIN = "catvsnoncat.classifier.explain";
    public static final String INFER = "catvsnoncat.classifier.infer";
    public static final String MODEL = "catvsnoncat.classifier.model";
    public static final String READY = "catvsnoncat.classifier.ready";
    public static final String RELOAD = "catvsnoncat.classifier.reload";
    public static final String STATS = "catvsnoncat.classifier.stats";
    public static final String LIST = "catvsnoncat.classifier.list";
    public static final String REPOSITORY_INDEX = "catvsnoncat.classifier.repository.index";
    public static final String REPOSITORY_LOAD = "catvsnoncat.classifier.repository.load";
    public static final String REPOSITORY_UNLOAD = "catvsnoncat.classifier.repository.unload";
    /** Published, not requested: the served model names changed. */
    public static final String MODELS_CHANGED = "catvsnoncat.classifier.models";

    public static final String URL = "url";
    public static final String IMAGE = "image";
    public static final String IMAGES = "images";
    public static final String PIXELS = "pixels";
    public static final String COUNT = "count";
    public static final String DATATYPE = "datatype";
    public static final String PATH = "path";
    /** Which model and version should answer; both optional. */
    public static final String MODEL_NAME = "modelName";
    public static final String MODEL_VERSION = "modelVersion";

    public static final String LABEL = "label";
    public static final String PROBABILITY = "probability";
    public static final String PROBABILITIES = "probabilities";
    public static final String LABELS = "labels";
    public static final String MODEL_INFO = "model";
    public static final String TIMINGS = "timings";
    public static final String SALIENCY = "saliency";
    public static final String PICTURE = "picture";
    public static final String READY_FLAG = "ready";
    /** The model and version that answered, as the repository names them: {@link #NAME}, {@link #VERSION}. */
    public static final String SERVED = "served";
    /** MODEL's reply: the served version labels of the model, lowest first. */
    public static final String VERSIONS = "versions";
    /** LIST's reply: the model answering requests that name none. */
    public static final String DEFAULT_MODEL = "defaultModel";
    /** Index rows, LIST and {@link #MODELS_CHANGED}. */
    public static final String MODELS = "models";
    public static final String STATE = "state";
    /** The index state of a version that answers requests. */
    public static final String STATE_READY = "READY";
    /** STATS' reply: Triton's statistics, one entry per version ({@link #NAME}, {@link #VERSION} and these). */
    public static final String MODEL_STATS = "model_stats";
    public static final String LAST_INFERENCE = "last_inference";
    public static final String INFERENCE_COUNT = "inference_count";
    public static final String EXECUTION_COUNT = "execution_count";
    /** A version's phases by Triton's names ({@code success}, {@code fail}, {@code queue}, ...), each a duration. */
    public static final String INFERENCE_STATS = "inference_stats";
    /** Fields of a duration: how many times, and their total nanoseconds. */
    public static final String DURATION_COUNT = "count";
    public static final String DURATION_NS = "ns";
    public static final String REASON = "reason";
    /** Fields of {@link #MODEL_INFO}. */
    public static final String NAME = "name";
    public static final String VERSION = "version";
    /** The feature extractor in front of the network (e.g. "mobilenetv2-block10"); absent for a pixel model. */
    public static final String FEATURES = "features";
    /** Fields of {@link #TIMINGS}, milliseconds as doubles. */
    public static final String FETCH_MS = "fetchMs";
    public static final String DECODE_MS = "decodeMs";
    public static final String INFER_MS = "inferMs";
    public static final String TOTAL_MS = "totalMs";
    /** Values of {@link #DATATYPE}. */
    public static final String UINT8 = "UINT8";
    public static final String FP32 = "FP32";

    public static final String CAT = "cat";
    public static final String NON_CAT = "non-cat";

    private ClassifierApi() {
    }
}
