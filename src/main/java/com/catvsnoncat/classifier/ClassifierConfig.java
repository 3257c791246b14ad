package com.catvsnoncat.classifier;

import com.catvsnoncat.config.ConfigValues;
import com.catvsnoncat.config.Defaults;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The "classifier" section of the configuration, over the defaults in {@code config/defaults.json} (the one place
 * default values are written), checked once at start so a typo fails the deployment with the key's name.
 *
 * @param modelPath       a model file to serve; empty for the embedded default model
 * @param workers         threads running decoding and the network; the number of cores when 0 in the file
 * @param maxQueued       CPU tasks allowed to wait for a worker; beyond workers + maxQueued the answer is 503
 * @param deadlineMs      the whole request (fetch, queue, decode, network) must answer within this, else 504
 * @param maxBatch        the most images in one INFER request (more: 413)
 * @param maxPixels       the most pixels (width x height) a picture may declare before it is decoded (more: 413)
 * @param maxSide         the longest side, width or height, a picture may declare before it is decoded (more: 413)
 * @param warmupRuns      classifications of a generated picture run before readiness turns true
 * @param saliencyScale   the saliency overlay is 64 x this pixels wide (nearest-neighbour upscale)
 * @param watchModel      reload {@code modelPath} when its modification time or size changes
 * @param watchIntervalMs how often the watched file is checked
 * @param fetch           limits of fetching a picture by URL
 * @param repository      where the served models and their versions come from
 * @param batching        dynamic batching of single requests into shared network passes, per model
 */
public record ClassifierConfig(Optional<Path> modelPath, int workers, int maxQueued, long deadlineMs, int maxBatch,
                               long maxPixels, int maxSide, int warmupRuns, int saliencyScale, boolean watchModel,
                               long watchIntervalMs, ImageFetcher.Options fetch, Repository repository,
                               BatchingConfig batching) {
    public static final String SECTION = "classifier";

    /**
     * The "repository" subsection.
     *
     * @param path           a directory {@code <model name>/<version>/model.npz}; empty for the models in the jar (or
     *                       the one {@code modelPath} file)
     * @param pollMs         how often the directory is listed for new, changed and removed versions; 0: never
     * @param defaultModel   the model that answers requests naming none
     * @param versionPolicy  which versions of a model are served, unless {@code versionPolicies} names the model
     * @param versionPolicies a policy per model name
     */
    public record Repository(Optional<Path> path, long pollMs, String defaultModel, VersionPolicy versionPolicy,
                             Map<String, VersionPolicy> versionPolicies) {
        VersionPolicy policyOf(String model) {
            return versionPolicies.getOrDefault(model, versionPolicy);
        }

        static Repository from(JsonObject json) {
            String path = json.getString("path");
            String defaultModel = json.getString("defaultModel");
            if (!ModelRepository.validName(defaultModel)) {
                throw new IllegalArgumentException("classifier config: repository.defaultModel must be a model name, "
                        + "got " + defaultModel);
            }
            Map<String, VersionPolicy> policies = new TreeMap<>();
            json.getJsonObject("versionPolicies").forEach(entry -> policies.put(entry.getKey(),
                    VersionPolicy.from("repository.versionPolicies." + entry.getKey(), entry.getValue())));
            return new Repository(path == null || path.isBlank() ? Optional.empty() : Optional.of(Path.of(path)),
                    ConfigValues.integer(SECTION, json, "pollMs", 0), defaultModel,
                    VersionPolicy.from("repository.versionPolicy", json.getValue("versionPolicy")),
                    Map.copyOf(policies));
        }
    }

    /**
     * @param config the verticle's configuration: either the whole application configuration (the "classifier"
     *               section is used) or the section itself; missing keys take the defaults
     */
    public static ClassifierConfig from(JsonObject config) {
        JsonObject section = config.getValue(SECTION) instanceof JsonObject nested ? nested : config;
        JsonObject merged = Defaults.section(SECTION).mergeIn(section, true);
        JsonObject fetch = merged.getJsonObject("fetch");
        String modelPath = merged.getString("modelPath");
        int workers = Math.toIntExact(ConfigValues.integer(SECTION, merged, "workers", 0));
        if (merged.getBoolean("watchModel") && (modelPath == null || modelPath.isBlank())) {
            throw new IllegalArgumentException("classifier config: watchModel needs a modelPath to watch");
        }
        Repository repository = Repository.from(merged.getJsonObject("repository"));
        if (repository.path().isPresent() && modelPath != null && !modelPath.isBlank()) {
            throw new IllegalArgumentException("classifier config: give modelPath (one file) or repository.path "
                    + "(a directory of models), not both");
        }
        return new ClassifierConfig(
                modelPath == null || modelPath.isBlank() ? Optional.empty() : Optional.of(Path.of(modelPath)),
                workers == 0 ? Runtime.getRuntime().availableProcessors() : workers,
                Math.toIntExact(ConfigValues.integer(SECTION, merged, "maxQueued", 0)),
                ConfigValues.integer(SECTION, merged, "deadlineMs", 1),
                Math.toIntExact(ConfigValues.integer(SECTION, merged, "maxBatch", 1)),
                ConfigValues.integer(SECTION, merged, "maxPixels", 1),
                Math.toIntExact(ConfigValues.integer(SECTION, merged, "maxSide", 1)),
                Math.toIntExact(ConfigValues.integer(SECTION, merged, "warmupRuns", 0)),
                Math.toIntExact(ConfigValues.integer(SECTION, merged, "saliencyScale", 1)),
                merged.getBoolean("watchModel"),
                ConfigValues.integer(SECTION, merged, "watchIntervalMs", 1),
                new ImageFetcher.Options(
                        ConfigValues.integer(SECTION, fetch, "connectTimeoutMs", 1),
                        ConfigValues.integer(SECTION, fetch, "timeoutMs", 1),
                        ConfigValues.integer(SECTION, fetch, "maxBytes", 1),
                        Math.toIntExact(ConfigValues.integer(SECTION, fetch, "maxRedirects", 0)),
                        fetch.getBoolean("allowLoopback"),
                        ports(fetch, "allowedPorts"),
                        strings(fetch, "trustedHosts"),
                        Math.toIntExact(ConfigValues.integer(SECTION, fetch, "maxConcurrent", 1))),
                repository,
                BatchingConfig.from(merged.getJsonObject("batching")));
    }

    private static List<Integer> ports(JsonObject json, String key) {
        Object value = json.getValue(key);
        if (value instanceof JsonArray array && array.stream().allMatch(port -> port instanceof Integer number
                && number >= 1 && number <= 65535)) {
            return array.stream().map(Integer.class::cast).toList();
        }
        throw new IllegalArgumentException("classifier config: " + key + " must be a list of ports (1-65535), got "
                + value);
    }

    private static List<String> strings(JsonObject json, String key) {
        Object value = json.getValue(key);
        if (value instanceof JsonArray array && array.stream().allMatch(item -> item instanceof String text
                && !text.isBlank())) {
            return array.stream().map(String.class::cast).toList();
        }
        throw new IllegalArgumentException("classifier config: " + key + " must be a list of host names, got "
                + value);
    }
}
