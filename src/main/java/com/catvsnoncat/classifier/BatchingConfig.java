package com.catvsnoncat.classifier;

import com.catvsnoncat.config.ConfigValues;
import com.catvsnoncat.model.Model;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dynamic batching ({@link DynamicBatcher}) per model, the "classifier.batching" section: a model batches as its own
 * entry under {@code models} (by its name in the repository) says, else as the entry of its kind, {@code pixel} (the network on the
 * 64x64 pixels) or {@code features} (a network behind a feature extractor). The defaults of the kinds are what
 * measured better for each ({@code make bench-serve}, README "Dynamic batching").
 *
 * @param pixel    the rule of models without a feature extractor
 * @param features the rule of models with one
 * @param models   rules of single models, by name
 */
public record BatchingConfig(Rule pixel, Rule features, Map<String, Rule> models) {
    static final String SECTION = ClassifierConfig.SECTION + ".batching";
    private static final int MAX_BATCH_LIMIT = 1024;
    private static final long MAX_DELAY_MICROS = 1_000_000;

    /**
     * @param maxBatch            pictures in one network pass at most; 1 is no batching
     * @param maxQueueDelayMicros how long the first request of a batch waits for others before the pass runs
     */
    public record Rule(int maxBatch, long maxQueueDelayMicros) {
        boolean enabled() {
            return maxBatch > 1;
        }

        static Rule from(String where, JsonObject json) {
            return new Rule((int) ConfigValues.integer(where, json, "maxBatch", 1, MAX_BATCH_LIMIT),
                    ConfigValues.integer(where, json, "maxQueueDelayMicros", 0, MAX_DELAY_MICROS));
        }
    }

    /** The rule the model served as {@code name} batches by. */
    Rule of(String name, Model model) {
        Rule own = models.get(name);
        if (own != null) {
            return own;
        }
        return model.features() != null ? features : pixel;
    }

    static BatchingConfig from(JsonObject section) {
        Map<String, Rule> models = new LinkedHashMap<>();
        JsonObject named = object(section, "models");
        named.fieldNames().forEach(name -> models.put(name, Rule.from(SECTION + ".models." + name,
                object(named, name))));
        return new BatchingConfig(Rule.from(SECTION + ".pixel", object(section, "pixel")),
                Rule.from(SECTION + ".features", object(section, "features")), Map.copyOf(models));
    }

    private static JsonObject object(JsonObject json, String key) {
        if (!(json.getValue(key) instanceof JsonObject value)) {
            throw new IllegalArgumentException(SECTION + " config: " + key + " must be an object, got "
                    + json.getValue(key));
        }
        return value;
    }
}
