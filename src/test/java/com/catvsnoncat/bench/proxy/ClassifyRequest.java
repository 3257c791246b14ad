package com.catvsnoncat.bench.proxy;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/** What a classify-by-URL request carries on the bus: the picture's URL and the model asked for, if any. */
@DataObject
public final class ClassifyRequest {
    private final String url;
    private final String model;

    public ClassifyRequest(String url, String model) {
        this.url = url;
        this.model = model;
    }

    public ClassifyRequest(JsonObject json) {
        this(json.getString("url"), json.getString("model"));
    }

    public JsonObject toJson() {
        return new JsonObject().put("url", url).put("model", model);
    }

    public String url() {
        return url;
    }

    public String model() {
        return model;
    }
}
