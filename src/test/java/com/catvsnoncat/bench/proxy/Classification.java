package com.catvsnoncat.bench.proxy;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * What the classifier answers, as typed fields: label, probability, the model that answered and the timings, read
 * from and written to the JSON shape of its reply (the work a typed contract adds to each call).
 */
@DataObject
public final class Classification {
    private final String label;
    private final double probability;
    private final String modelName;
    private final String modelVersion;
    private final double fetchMs;
    private final double decodeMs;
    private final double inferMs;
    private final double totalMs;

    public Classification(String label, double probability, String modelName, String modelVersion, double fetchMs,
                          double decodeMs, double inferMs, double totalMs) {
        this.label = label;
        this.probability = probability;
        this.modelName = modelName;
        this.modelVersion = modelVersion;
        this.fetchMs = fetchMs;
        this.decodeMs = decodeMs;
        this.inferMs = inferMs;
        this.totalMs = totalMs;
    }

    public Classification(JsonObject json) {
        this(json.getString("label"), json.getDouble("probability"),
                json.getJsonObject("model").getString("name"), json.getJsonObject("model").getString("version"),
                json.getJsonObject("timings").getDouble("fetchMs"), json.getJsonObject("timings").getDouble("decodeMs"),
                json.getJsonObject("timings").getDouble("inferMs"), json.getJsonObject("timings").getDouble("totalMs"));
    }

    public JsonObject toJson() {
        return new JsonObject().put("label", label).put("probability", probability)
                .put("model", new JsonObject().put("name", modelName).put("version", modelVersion))
                .put("timings", new JsonObject().put("fetchMs", fetchMs).put("decodeMs", decodeMs)
                        .put("inferMs", inferMs).put("totalMs", totalMs));
    }

    public String label() {
        return label;
    }
}
