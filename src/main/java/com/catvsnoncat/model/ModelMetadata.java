package com.catvsnoncat.model;

import com.catvsnoncat.data.InputVectors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * The {@code metadata.json} of a model file: what the model is, how its inputs are prepared, how it was trained.
 * Immutable and always valid: every {@code with...} method returns a validated copy. Keys this version does not
 * know are kept as they are, so a file can be read and written back without losing them.
 * See docs/model-format.md for the keys.
 */
public final class ModelMetadata {
    public static final String FORMAT = "catvsnoncat-model";
    /** The newest format version this code reads and the one it writes. */
    public static final int FORMAT_VERSION = 1;
    public static final List<String> ACCURACY_SPLITS = List.of("train", "validation", "test");
    /** The key of {@link #imported()}. */
    public static final String IMPORTED = "imported";

    private static final Pattern CONTENT_HASH = Pattern.compile("sha256:[0-9a-f]{64}");

    private final JsonObject json;

    private ModelMetadata(JsonObject json) {
        this.json = json;
    }

    /**
     * The feature extractor in front of the network: its name, the SHA-256 (hex) of its weights file and the
     * side of the picture it sees.
     */
    public record Features(String extractor, String sha256, int inputSize) {
        private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

        public Features {
            if (extractor == null || extractor.isBlank()) {
                throw new IllegalArgumentException("features.extractor must be a name");
            }
            if (sha256 == null || !SHA256.matcher(sha256).matches()) {
                throw new IllegalArgumentException("features.sha256 must be 64 lowercase hex digits, is " + sha256);
            }
            if (inputSize <= 0) {
                throw new IllegalArgumentException("features.inputSize must be positive, is " + inputSize);
            }
        }

        JsonObject toJson() {
            return new JsonObject().put("extractor", extractor).put("sha256", sha256).put("inputSize", inputSize);
        }

        static Features fromJson(JsonObject json) {
            return new Features(requireString(json, "extractor"), requireString(json, "sha256"),
                    integer(json, "inputSize"));
        }

        @Override
        public String toString() {
            return extractor + " (sha256 " + sha256 + ", input size " + inputSize + ")";
        }
    }

    /** One point of the training cost curve. */
    public record Cost(int iteration, double cost) {
        public Cost {
            if (iteration < 0 || !Double.isFinite(cost)) {
                throw new IllegalArgumentException("a cost needs an iteration >= 0 and a finite value, got "
                        + iteration + ", " + cost);
            }
        }
    }

    /**
     * Metadata for a new model: the standard preprocessing, empty training/costs/accuracy, created now.
     *
     * @param layers layer sizes n_0 (inputs) .. n_L, as {@code Network.layerSizes()}
     */
    public static ModelMetadata create(String name, String version, int[] layers, boolean standardized) {
        JsonObject json = new JsonObject()
                .put("format", FORMAT)
                .put("formatVersion", FORMAT_VERSION)
                .put("name", name)
                .put("version", version)
                .put("layers", toJsonArray(layers))
                .put("preprocessing", defaultPreprocessing(standardized))
                .put("training", new JsonObject())
                .put("costs", new JsonArray())
                .put("accuracy", new JsonObject())
                .put("createdAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return fromJson(json);
    }

    /** The preprocessing of {@link InputVectors}: 64x64 RGB, row-major channel-last, scaled by 1/255. */
    public static JsonObject defaultPreprocessing(boolean standardized) {
        return new JsonObject()
                .put("width", InputVectors.SIDE)
                .put("height", InputVectors.SIDE)
                .put("channels", InputVectors.CHANNELS)
                .put("layout", "HWC")
                .put("scale", 1.0 / 255)
                .put("resize", "area-average")
                .put("standardized", standardized);
    }

    /**
     * Validates and wraps (a copy of) parsed metadata. The format and its version are checked first, so a file
     * from a newer writer is reported as such rather than as whatever else changed.
     *
     * @throws IllegalArgumentException naming the first key that is missing or wrong
     */
    public static ModelMetadata fromJson(JsonObject json) {
        JsonObject copy = json.copy();
        validate(copy);
        return new ModelMetadata(copy);
    }

    /** A copy of the JSON, in the order it is written. */
    public JsonObject toJson() {
        return json.copy();
    }

    public int formatVersion() {
        return json.getInteger("formatVersion");
    }

    public String name() {
        return json.getString("name");
    }

    public String version() {
        return json.getString("version");
    }

    /** Layer sizes n_0 (inputs) .. n_L. */
    public int[] layers() {
        JsonArray layers = json.getJsonArray("layers");
        int[] sizes = new int[layers.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = layers.getInteger(i);
        }
        return sizes;
    }

    public JsonObject preprocessing() {
        return json.getJsonObject("preprocessing").copy();
    }

    /** Whether the model standardises its inputs, i.e. comes with a {@code Standardizer}. */
    public boolean standardized() {
        return json.getJsonObject("preprocessing").getBoolean("standardized");
    }

    /** Free-form training facts (settings, seed, optimiser...); empty if none were recorded. */
    public JsonObject training() {
        return json.getJsonObject("training", new JsonObject()).copy();
    }

    public List<Cost> costs() {
        List<Cost> costs = new ArrayList<>();
        for (Object entry : json.getJsonArray("costs", new JsonArray())) {
            JsonObject point = (JsonObject) entry;
            costs.add(new Cost(point.getInteger("iteration"), point.getDouble("cost")));
        }
        return List.copyOf(costs);
    }

    /** @param split one of {@link #ACCURACY_SPLITS} */
    public OptionalDouble accuracy(String split) {
        Double value = json.getJsonObject("accuracy", new JsonObject()).getDouble(split);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /** The feature extractor in front of the network; empty for a network on the pixels themselves. */
    public Optional<Features> features() {
        JsonObject features = json.getJsonObject("features");
        return features == null ? Optional.empty() : Optional.of(Features.fromJson(features));
    }

    public ModelMetadata withFeatures(Features features) {
        return with("features", features.toJson());
    }

    public Instant createdAt() {
        return Instant.parse(json.getString("createdAt"));
    }

    /** Where an imported model came from: {@code {"from": text, "sha256": hex of the file}}; empty if trained here. */
    public Optional<JsonObject> imported() {
        return Optional.ofNullable(json.getJsonObject(IMPORTED)).map(JsonObject::copy);
    }

    /** "sha256:&lt;hex&gt;" of the arrays; absent until the model has been written. */
    public Optional<String> contentHash() {
        return Optional.ofNullable(json.getString("contentHash"));
    }

    public ModelMetadata withName(String name) {
        return with("name", name);
    }

    public ModelMetadata withVersion(String version) {
        return with("version", version);
    }

    public ModelMetadata withPreprocessing(JsonObject preprocessing) {
        return with("preprocessing", preprocessing.copy());
    }

    public ModelMetadata withTraining(JsonObject training) {
        return with("training", training.copy());
    }

    public ModelMetadata withCosts(List<Cost> costs) {
        JsonArray array = new JsonArray();
        costs.forEach(c -> array.add(new JsonObject().put("iteration", c.iteration()).put("cost", c.cost())));
        return with("costs", array);
    }

    /** @param split one of {@link #ACCURACY_SPLITS}; @param value a fraction in [0, 1] */
    public ModelMetadata withAccuracy(String split, double value) {
        return with("accuracy", json.getJsonObject("accuracy", new JsonObject()).copy().put(split, value));
    }

    public ModelMetadata withCreatedAt(Instant createdAt) {
        return with("createdAt", createdAt.toString());
    }

    public ModelMetadata withContentHash(String contentHash) {
        return with("contentHash", contentHash);
    }

    /**
     * Sets any top-level key, for additions that need no code here yet; known keys are still validated.
     * Values must be JSON types (String, Number, Boolean, JsonObject, JsonArray).
     */
    public ModelMetadata with(String key, Object value) {
        JsonObject copy = json.copy();
        copy.put(key, value);
        return fromJson(copy);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelMetadata metadata && json.equals(metadata.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return json.encode();
    }

    private static void validate(JsonObject json) {
        Object format = json.getValue("format");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("not a catvsnoncat model: format is "
                    + (format == null ? "missing" : "'" + format + "'") + ", expected '" + FORMAT + "'");
        }
        int formatVersion = integer(json, "formatVersion");
        if (formatVersion > FORMAT_VERSION) {
            throw new IllegalArgumentException("model format version " + formatVersion
                    + " is newer than this reader supports (" + FORMAT_VERSION + "); use a newer catvsnoncat");
        }
        if (formatVersion < 1) {
            throw new IllegalArgumentException("invalid formatVersion " + formatVersion);
        }
        requireString(json, "name");
        requireString(json, "version");
        JsonArray layers = require(json, "layers", JsonArray.class);
        if (layers.size() < 2) {
            throw new IllegalArgumentException("layers must list at least the input and output sizes, is " + layers.encode());
        }
        for (int i = 0; i < layers.size(); i++) {
            if (!(isInteger(layers.getValue(i)) && ((Number) layers.getValue(i)).longValue() > 0
                    && ((Number) layers.getValue(i)).longValue() <= Integer.MAX_VALUE)) {
                throw new IllegalArgumentException("layers must be positive integers, is " + layers.encode());
            }
        }
        validatePreprocessing(require(json, "preprocessing", JsonObject.class));
        JsonObject features = optional(json, "features", JsonObject.class);
        if (features != null) {
            Features.fromJson(features);
        }
        optional(json, "training", JsonObject.class);
        validateCosts(optional(json, "costs", JsonArray.class));
        validateAccuracy(optional(json, "accuracy", JsonObject.class));
        try {
            Instant.parse(requireString(json, "createdAt"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("createdAt must be an ISO-8601 UTC instant like 2024-05-01T12:00:00Z, is '"
                    + json.getValue("createdAt") + "'");
        }
        optional(json, IMPORTED, JsonObject.class);
        String hash = optional(json, "contentHash", String.class);
        if (hash != null && !CONTENT_HASH.matcher(hash).matches()) {
            throw new IllegalArgumentException("contentHash must be 'sha256:' and 64 lowercase hex digits, is '" + hash + "'");
        }
    }

    private static void validatePreprocessing(JsonObject preprocessing) {
        for (String key : List.of("width", "height", "channels")) {
            if (integer(preprocessing, key) <= 0) {
                throw new IllegalArgumentException("preprocessing." + key + " must be positive");
            }
        }
        requireString(preprocessing, "layout");
        requireString(preprocessing, "resize");
        double scale = require(preprocessing, "scale", Number.class).doubleValue();
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("preprocessing.scale must be positive and finite, is " + scale);
        }
        require(preprocessing, "standardized", Boolean.class);
    }

    private static void validateCosts(JsonArray costs) {
        if (costs == null) {
            return;
        }
        for (Object entry : costs) {
            if (!(entry instanceof JsonObject point) || !isInteger(point.getValue("iteration"))
                    || !(point.getValue("cost") instanceof Number)) {
                throw new IllegalArgumentException("costs must be objects {iteration: int, cost: number}, found " + entry);
            }
            new Cost(point.getInteger("iteration"), point.getDouble("cost"));
        }
    }

    private static void validateAccuracy(JsonObject accuracy) {
        if (accuracy == null) {
            return;
        }
        for (String split : accuracy.fieldNames()) {
            if (!ACCURACY_SPLITS.contains(split)) {
                throw new IllegalArgumentException("accuracy has unknown split '" + split + "', expected one of " + ACCURACY_SPLITS);
            }
            double value = require(accuracy, split, Number.class).doubleValue();
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("accuracy." + split + " must be a fraction in [0, 1], is " + value);
            }
        }
    }

    private static JsonArray toJsonArray(int[] values) {
        JsonArray array = new JsonArray();
        for (int value : values) {
            array.add(value);
        }
        return array;
    }

    private static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long;
    }

    private static int integer(JsonObject json, String key) {
        Object value = json.getValue(key);
        if (!isInteger(value) || ((Number) value).longValue() != ((Number) value).intValue()) {
            throw new IllegalArgumentException(key + " must be an integer, is " + (value == null ? "missing" : value));
        }
        return ((Number) value).intValue();
    }

    private static String requireString(JsonObject json, String key) {
        return require(json, key, String.class);
    }

    private static <T> T require(JsonObject json, String key, Class<T> type) {
        T value = optional(json, key, type);
        if (value == null) {
            throw new IllegalArgumentException(key + " is missing");
        }
        return value;
    }

    private static <T> T optional(JsonObject json, String key, Class<T> type) {
        Object value = json.getValue(key);
        if (value != null && !type.isInstance(value)) {
            throw new IllegalArgumentException(key + " must be " + jsonType(type) + ", is " + value);
        }
        return type.cast(value);
    }

    private static String jsonType(Class<?> type) {
        if (type == JsonObject.class) {
            return "an object";
        }
        if (type == JsonArray.class) {
            return "an array";
        }
        return "a " + type.getSimpleName().toLowerCase(Locale.ROOT);
    }
}
