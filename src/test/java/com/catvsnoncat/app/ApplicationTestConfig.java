package com.catvsnoncat.app;

import com.catvsnoncat.model.ModelFile;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/** Overrides for starting the real application in a test: a free port on 127.0.0.1 and a small real model. */
final class ApplicationTestConfig {
    private ApplicationTestConfig() {
    }

    static JsonObject withModel(Path dir) {
        Path model = dir.resolve("small.npz");
        ModelFile.write(model, ApplicationTest.smallModel());
        return new JsonObject()
                .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                .put("classifier", new JsonObject().put("modelPath", model.toString()).put("warmupRuns", 2));
    }
}
