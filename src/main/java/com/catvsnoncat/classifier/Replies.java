package com.catvsnoncat.classifier;

import com.catvsnoncat.model.Model;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

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

    static JsonObject classification(Model model, Classifier.Prediction prediction, long fetchNanos, long totalNanos) {
        return new JsonObject()
                .put(ClassifierApi.LABEL, prediction.label())
                .put(ClassifierApi.PROBABILITY, prediction.probability())
                .put(ClassifierApi.MODEL_INFO, modelInfo(model))
                .put(ClassifierApi.TIMINGS, timings(fetchNanos, prediction.decodeNanos(), prediction.inferNanos(),
                        totalNanos));
    }

    static JsonObject explanation(Model model, Classifier.Explanation explanation, long fetchNanos, long totalNanos) {
        return classification(model, explanation.prediction(), fetchNanos, totalNanos)
                .put(ClassifierApi.SALIENCY, explanation.saliencyPng())
                .put(ClassifierApi.PICTURE, explanation.picturePng());
    }

    static JsonObject batch(Model model, Classifier.Batch batch, long totalNanos) {
        JsonArray probabilities = new JsonArray();
        JsonArray labels = new JsonArray();
        for (double p : batch.probabilities()) {
            probabilities.add(p);
            labels.add(Classifier.label(p));
        }
        return new JsonObject()
                .put(ClassifierApi.PROBABILITIES, probabilities)
                .put(ClassifierApi.LABELS, labels)
                .put(ClassifierApi.MODEL_INFO, modelInfo(model))
                .put(ClassifierApi.TIMINGS, timings(0, batch.decodeNanos(), batch.inferNanos(), totalNanos));
    }

    static JsonObject metadata(Model model) {
        return model.metadata().toJson().put(ClassifierApi.MODEL_INFO, modelInfo(model));
    }

    static JsonObject readiness(boolean ready, Model model) {
        return new JsonObject().put(ClassifierApi.READY_FLAG, ready).put(ClassifierApi.MODEL_INFO, modelInfo(model));
    }

    private static JsonObject timings(long fetchNanos, long decodeNanos, long inferNanos, long totalNanos) {
        return new JsonObject()
                .put(ClassifierApi.FETCH_MS, fetchNanos / NANOS_PER_MILLI)
                .put(ClassifierApi.DECODE_MS, decodeNanos / NANOS_PER_MILLI)
                .put(ClassifierApi.INFER_MS, inferNanos / NANOS_PER_MILLI)
                .put(ClassifierApi.TOTAL_MS, totalNanos / NANOS_PER_MILLI);
    }
}
