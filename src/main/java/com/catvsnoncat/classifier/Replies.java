package com.catvsnoncat.classifier;

import com.catvsnoncat.classifier.ModelRegistry.Served;
import com.catvsnoncat.model.Model;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The JSON bodies of the classifier's replies (field names from {@link ClassifierApi}). */
final class Replies {
    private static final double NANOS_PER_MILLI = 1e6;

    private Replies() {
    }

    static JsonObject modelInfo(Model model) {
        JsonObject info = new JsonObject()
                .put(ClassifierApi.NAME, model.metadata().name())
                .put(ClassifierApi.VERSION, model.metadata().version());
        if (model.features() != null) {
            info.put(ClassifierApi.FEATURES, model.features().name());
        }
        return info;
    }

    /** The model and version that answer, as the repository names them. */
    static JsonObject served(Served served) {
        return new JsonObject().put(ClassifierApi.NAME, served.name()).put(ClassifierApi.VERSION, served.label());
    }

    static JsonObject classification(Served served, Classifier.Prediction prediction, long fetchNanos,
                                     long totalNanos) {
        return new JsonObject()
                .put(ClassifierApi.LABEL, prediction.label())
                .put(ClassifierApi.PROBABILITY, prediction.probability())
                .put(ClassifierApi.MODEL_INFO, modelInfo(served.model()))
                .put(ClassifierApi.SERVED, served(served))
                .put(ClassifierApi.TIMINGS, timings(fetchNanos, prediction.decodeNanos(), prediction.inferNanos(),
                        totalNanos));
    }

    static JsonObject explanation(Served served, Classifier.Explanation explanation, long fetchNanos,
                                  long totalNanos) {
        return classification(served, explanation.prediction(), fetchNanos, totalNanos)
                .put(ClassifierApi.SALIENCY, explanation.saliencyPng())
                .put(ClassifierApi.PICTURE, explanation.picturePng());
    }

    static JsonObject batch(Served served, Classifier.Batch batch, long totalNanos) {
        JsonArray probabilities = new JsonArray();
        JsonArray labels = new JsonArray();
        for (double p : batch.probabilities()) {
            probabilities.add(p);
            labels.add(Classifier.label(p));
        }
        return new JsonObject()
                .put(ClassifierApi.PROBABILITIES, probabilities)
                .put(ClassifierApi.LABELS, labels)
                .put(ClassifierApi.MODEL_INFO, modelInfo(served.model()))
                .put(ClassifierApi.SERVED, served(served))
                .put(ClassifierApi.TIMINGS, timings(0, batch.decodeNanos(), batch.inferNanos(), totalNanos));
    }

    /** @param versions the labels of the model's served versions */
    static JsonObject metadata(Served served, List<String> versions) {
        return served.model().metadata().toJson().put(ClassifierApi.MODEL_INFO, modelInfo(served.model()))
                .put(ClassifierApi.SERVED, served(served)).put(ClassifierApi.VERSIONS, new JsonArray(versions));
    }

    static JsonObject readiness(boolean ready, Served served) {
        return new JsonObject().put(ClassifierApi.READY_FLAG, ready)
                .put(ClassifierApi.MODEL_INFO, modelInfo(served.model())).put(ClassifierApi.SERVED, served(served));
    }

    private static JsonObject timings(long fetchNanos, long decodeNanos, long inferNanos, long totalNanos) {
        return new JsonObject()
                .put(ClassifierApi.FETCH_MS, fetchNanos / NANOS_PER_MILLI)
                .put(ClassifierApi.DECODE_MS, decodeNanos / NANOS_PER_MILLI)
                .put(ClassifierApi.INFER_MS, inferNanos / NANOS_PER_MILLI)
                .put(ClassifierApi.TOTAL_MS, totalNanos / NANOS_PER_MILLI);
    }
}
