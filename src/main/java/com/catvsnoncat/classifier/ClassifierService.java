package com.catvsnoncat.classifier;

import com.catvsnoncat.bus.Failure;
import com.catvsnoncat.classifier.ClassifierRequests.InlinePicture;
import com.catvsnoncat.classifier.ClassifierRequests.PictureUrl;
import com.catvsnoncat.classifier.ModelRegistry.Served;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Answers the {@link ClassifierApi} requests: checks them ({@link ClassifierRequests}) on the event loop, downloads
 * pictures asynchronously, and runs decoding and the network on the bounded worker pool ({@link InferencePool}).
 * Each request takes the model once, so one model answers it from start to end. When the model batches
 * ({@link BatchingConfig}), a request is decoded alone and its network pass shared with others
 * ({@link DynamicBatcher}); otherwise decoding and the network run in one task.
 */
final class ClassifierService {
    /** A picture downloaded, or still in the request (its base64 is decoded on the worker). */
    private record Picture(Buffer downloaded, InlinePicture inline, long fetchNanos) {
        byte[] bytes() {
            return downloaded != null ? downloaded.getBytes() : inline.bytes();
        }
    }

    private final ClassifierConfig settings;
    private final Classifier classifier;
    private final InferencePool pool;
    private final ImageFetcher fetcher;
    private final ClassifierSpans spans;
    private final ClassifierMetrics metrics;
    private final ModelStatistics statistics;
    private final ModelLifecycle models;
    private final DynamicBatcher batcher;

    ClassifierService(ClassifierConfig settings, Classifier classifier, InferencePool pool, ImageFetcher fetcher,
                      ClassifierSpans spans, ClassifierMetrics metrics, ModelStatistics statistics,
                      ModelLifecycle models, DynamicBatcher batcher) {
        this.statistics = statistics;
        this.settings = settings;
        this.classifier = classifier;
        this.pool = pool;
        this.fetcher = fetcher;
        this.spans = spans;
        this.metrics = metrics;
        this.models = models;
        this.batcher = batcher;
    }

    /** A request's decoded input vectors, when decoding started and how long it took. */
    private record Decoded(double[][] inputs, long runningNanos, long decodeNanos) {
    }

    /** @param start when the request arrived (System.nanoTime), for the reply's totalMs */
    Future<JsonObject> classify(JsonObject body, long start) {
        ClassifierRequests.Picture source = ClassifierRequests.picture(body);
        Served served = served(body);
        BatchingConfig.Rule batching = settings.batching().of(served.name(), served.model());
        if (batching.enabled()) {
            return counted(served, start, picture(source).compose(picture -> {
                Context request = spans.current();
                Instant begun = Instant.now();
                long queued = System.nanoTime();
                return decode(() -> new double[][] {classifier.input(picture.bytes())}).compose(decoded -> batcher
                        .predict(served.model(), batching, decoded.inputs()).map(share -> {
                            Classifier.Prediction prediction = new Classifier.Prediction(share.probabilities()[0],
                                    decoded.decodeNanos(), share.inferNanos());
                            spans.decodeAndInference(request, begun, prediction.decodeNanos(),
                                    prediction.inferNanos());
                            record(prediction);
                            long output = System.nanoTime();
                            JsonObject reply = Replies.classification(served, prediction, picture.fetchNanos(),
                                    System.nanoTime() - start);
                            statistics.execution(served.name(), served.label(), 1, share.firstOfPass(),
                                    decoded.runningNanos() - queued + share.queueNanos(), prediction.decodeNanos(),
                                    prediction.inferNanos(), System.nanoTime() - output);
                            return reply;
                        }));
            }));
        }
        return counted(served, start, picture(source).compose(picture -> {
            Context request = spans.current();
            long queued = System.nanoTime();
            return pool.submit(() -> {
                long running = System.nanoTime();
                Instant begun = Instant.now();
                Classifier.Prediction prediction = classifier.classify(served.model(), picture.bytes());
                spans.decodeAndInference(request, begun, prediction.decodeNanos(), prediction.inferNanos());
                record(prediction);
                long output = System.nanoTime();
                JsonObject reply = Replies.classification(served, prediction, picture.fetchNanos(),
                        System.nanoTime() - start);
                statistics.execution(served.name(), served.label(), 1, true, running - queued,
                        prediction.decodeNanos(), prediction.inferNanos(), System.nanoTime() - output);
                return reply;
            });
        }));
    }

    Future<JsonObject> explain(JsonObject body, long start) {
        ClassifierRequests.Picture source = ClassifierRequests.picture(body);
        Served served = served(body);
        return counted(served, start, picture(source).compose(picture -> {
            long queued = System.nanoTime();
            return pool.submit(() -> {
                long running = System.nanoTime();
                Classifier.Explanation explanation = classifier.explain(served.model(), picture.bytes());
                record(explanation.prediction());
                long output = System.nanoTime();
                JsonObject reply = Replies.explanation(served, explanation, picture.fetchNanos(),
                        System.nanoTime() - start);
                // The saliency's backward pass counts as inference: it is the network's work for this answer.
                statistics.execution(served.name(), served.label(), 1, true, running - queued,
                        explanation.prediction().decodeNanos(), explanation.prediction().inferNanos(),
                        System.nanoTime() - output);
                return reply;
            });
        }));
    }

    Future<JsonObject> infer(JsonObject body, long start) {
        ClassifierRequests.Batch batch = ClassifierRequests.batch(body, settings.maxBatch());
        Served served = served(body);
        long queued = System.nanoTime();
        BatchingConfig.Rule batching = settings.batching().of(served.name(), served.model());
        if (batching.enabled()) {
            return counted(served, start, decode(() -> batch.inputs(classifier)).compose(decoded -> batcher
                    .predict(served.model(), batching, decoded.inputs()).map(share -> {
                        Classifier.Batch result = new Classifier.Batch(share.probabilities(), decoded.decodeNanos(),
                                share.inferNanos());
                        return answered(served, result, start,
                                decoded.runningNanos() - queued + share.queueNanos(), share.firstOfPass());
                    })));
        }
        return counted(served, start, pool.submit(() -> {
            long running = System.nanoTime();
            return answered(served, batch.infer(classifier, served.model()), start, running - queued, true);
        }));
    }

    /**
     * The INFER reply, its metrics and its statistics; {@code queueNanos} is the time it waited to run, {@code newPass}
     * whether its network pass is counted here ({@link ModelStatistics#execution}).
     */
    private JsonObject answered(Served served, Classifier.Batch result, long start, long queueNanos,
                                boolean newPass) {
        metrics.inference(result.decodeNanos() + result.inferNanos());
        for (double probability : result.probabilities()) {
            metrics.classified(Classifier.label(probability));
        }
        long output = System.nanoTime();
        JsonObject reply = Replies.batch(served, result, System.nanoTime() - start);
        statistics.execution(served.name(), served.label(), result.probabilities().length, newPass, queueNanos,
                result.decodeNanos(), result.inferNanos(), System.nanoTime() - output);
        return reply;
    }

    /** Decoding alone on the pool (admitted against its bound), timed; the network pass comes after. */
    private Future<Decoded> decode(Callable<double[][]> decoding) {
        return pool.submit(() -> {
            long running = System.nanoTime();
            double[][] inputs = decoding.call();
            return new Decoded(inputs, running, System.nanoTime() - running);
        });
    }

    /** The served models and their versions, for a picker. */
    JsonObject list() {
        JsonArray list = new JsonArray();
        models.registry().snapshot().forEach((name, versions) -> list.add(new JsonObject()
                .put(ClassifierApi.NAME, name)
                .put(ClassifierApi.VERSIONS, new JsonArray(versions.values().stream().map(Served::label).toList()))));
        return new JsonObject().put(ClassifierApi.DEFAULT_MODEL, settings.repository().defaultModel())
                .put(ClassifierApi.MODELS, list);
    }

    /**
     * Triton's statistics of every served version of every model, by name then version; of the named model's versions
     * (or the one version named). 404 for what is not served, 400 for a version without a model name.
     */
    JsonObject statistics(JsonObject body) {
        Map<String, NavigableMap<Long, Served>> served = models.registry().snapshot();
        List<Served> versions;
        if (ClassifierRequests.modelName(body).isEmpty()) {
            if (ClassifierRequests.modelVersion(body).isPresent()) {
                throw new ClassifierFailure(Failure.BAD_REQUEST, "a version needs the name of its model");
            }
            versions = served.values().stream().flatMap(model -> model.values().stream()).toList();
        } else {
            Served named = served(body);
            // Unloaded since the snapshot was taken: nothing of it is counted any more.
            versions = body.containsKey(ClassifierApi.MODEL_VERSION) ? List.of(named)
                    : List.copyOf(served.getOrDefault(named.name(), Collections.emptyNavigableMap()).values());
        }
        JsonArray stats = new JsonArray();
        for (Served version : versions) {
            JsonObject figures = statistics.toJson(version.name(), version.label());
            if (figures != null) {
                stats.add(figures);
            }
        }
        return new JsonObject().put(ClassifierApi.MODEL_STATS, stats);
    }

    /**
     * Counts the request as a success or a failure of its version, with its whole time. Work that succeeds after the
     * request's deadline is a failure: the client was answered 504 ({@link ClassifierVerticle} applies the deadline).
     */
    private <T> Future<T> counted(Served served, long start, Future<T> reply) {
        long deadlineNs = TimeUnit.MILLISECONDS.toNanos(settings.deadlineMs());
        return reply.onComplete(outcome -> {
            long elapsed = System.nanoTime() - start;
            statistics.request(served.name(), served.label(), outcome.succeeded() && elapsed < deadlineNs, elapsed);
        });
    }

    JsonObject metadata(JsonObject body) {
        Served served = served(body);
        return Replies.metadata(served, models.registry().snapshot().get(served.name()).values().stream()
                .map(Served::label).toList());
    }

    /**
     * The server is ready once the first versions are warm; a model or version named in the request is ready once
     * it is warm itself.
     */
    JsonObject readiness(JsonObject body) {
        Served served = served(body);
        boolean named = body.containsKey(ClassifierApi.MODEL_NAME) || body.containsKey(ClassifierApi.MODEL_VERSION);
        return Replies.readiness(named ? served.ready() : models.ready(), served);
    }

    Future<JsonObject> reload(JsonObject body) {
        return models.reload(ClassifierRequests.reloadPath(body)).map(Replies::modelInfo);
    }

    Future<JsonObject> index() {
        return models.index();
    }

    Future<JsonObject> load(JsonObject body) {
        return models.loadModel(ClassifierRequests.requiredModelName(body));
    }

    Future<JsonObject> unload(JsonObject body) {
        return models.unloadModel(ClassifierRequests.requiredModelName(body));
    }

    /** The version that answers this request, taken once: it answers to the end even if unloaded meanwhile. */
    private Served served(JsonObject body) {
        return models.registry().resolve(ClassifierRequests.modelName(body), ClassifierRequests.modelVersion(body));
    }

    private Future<Picture> picture(ClassifierRequests.Picture source) {
        if (source instanceof InlinePicture inline) {
            return Future.succeededFuture(new Picture(null, inline, 0));
        }
        PictureUrl url = (PictureUrl) source;
        long fetchStart = System.nanoTime();
        return spans.fetch(() -> fetcher.fetch(url.url())).map(bytes -> {
            long fetchNanos = System.nanoTime() - fetchStart;
            metrics.fetch(fetchNanos);
            return new Picture(bytes, null, fetchNanos);
        }).onFailure(failure -> {
            if (failure instanceof FetchRefusal refusal) {
                metrics.fetchRefused(refusal.reason());
            }
        });
    }

    private void record(Classifier.Prediction prediction) {
        metrics.inference(prediction.decodeNanos() + prediction.inferNanos());
        metrics.classified(prediction.label());
    }
}
