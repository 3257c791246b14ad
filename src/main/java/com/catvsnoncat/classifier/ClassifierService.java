package com.catvsnoncat.classifier;

import com.catvsnoncat.classifier.ClassifierRequests.InlinePicture;
import com.catvsnoncat.classifier.ClassifierRequests.PictureUrl;
import com.catvsnoncat.classifier.ModelRegistry.Served;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.concurrent.Callable;

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
    private final ModelLifecycle models;
    private final DynamicBatcher batcher;

    ClassifierService(ClassifierConfig settings, Classifier classifier, InferencePool pool, ImageFetcher fetcher,
                      ClassifierSpans spans, ClassifierMetrics metrics, ModelLifecycle models,
                      DynamicBatcher batcher) {
        this.settings = settings;
        this.classifier = classifier;
        this.pool = pool;
        this.fetcher = fetcher;
        this.spans = spans;
        this.metrics = metrics;
        this.models = models;
        this.batcher = batcher;
    }

    /** A request's decoded input vectors and how long decoding took. */
    private record Decoded(double[][] inputs, long decodeNanos) {
    }

    /** @param start when the request arrived (System.nanoTime), for the reply's totalMs */
    Future<JsonObject> classify(JsonObject body, long start) {
        ClassifierRequests.Picture source = ClassifierRequests.picture(body);
        Served served = served(body);
        BatchingConfig.Rule batching = settings.batching().of(served.name(), served.model());
        return picture(source).compose(picture -> {
            Context request = spans.current();
            Instant begun = Instant.now();
            Future<Classifier.Prediction> predicted = !batching.enabled()
                    ? pool.submit(() -> classifier.classify(served.model(), picture.bytes()))
                    : decode(() -> new double[][] {classifier.input(picture.bytes())})
                            .compose(decoded -> batcher.predict(served.model(), batching, decoded.inputs())
                                    .map(share -> new Classifier.Prediction(share.probabilities()[0],
                                            decoded.decodeNanos(), share.inferNanos())));
            return predicted.map(prediction -> {
                spans.decodeAndInference(request, begun, prediction.decodeNanos(), prediction.inferNanos());
                record(prediction);
                return Replies.classification(served, prediction, picture.fetchNanos(), System.nanoTime() - start);
            });
        });
    }

    Future<JsonObject> explain(JsonObject body, long start) {
        ClassifierRequests.Picture source = ClassifierRequests.picture(body);
        Served served = served(body);
        return picture(source).compose(picture -> pool.submit(() -> {
            Classifier.Explanation explanation = classifier.explain(served.model(), picture.bytes());
            record(explanation.prediction());
            return Replies.explanation(served, explanation, picture.fetchNanos(), System.nanoTime() - start);
        }));
    }

    Future<JsonObject> infer(JsonObject body, long start) {
        ClassifierRequests.Batch batch = ClassifierRequests.batch(body, settings.maxBatch());
        Served served = served(body);
        BatchingConfig.Rule batching = settings.batching().of(served.name(), served.model());
        Future<Classifier.Batch> inferred = !batching.enabled()
                ? pool.submit(() -> batch.infer(classifier, served.model()))
                : decode(() -> batch.inputs(classifier)).compose(decoded -> batcher.predict(served.model(), batching,
                                decoded.inputs())
                        .map(share -> new Classifier.Batch(share.probabilities(), decoded.decodeNanos(),
                                share.inferNanos())));
        return inferred.map(result -> {
            metrics.inference(result.decodeNanos() + result.inferNanos());
            for (double probability : result.probabilities()) {
                metrics.classified(Classifier.label(probability));
            }
            return Replies.batch(served, result, System.nanoTime() - start);
        });
    }

    /** Decoding alone on the pool (admitted against its bound), timed; the network pass comes after. */
    private Future<Decoded> decode(Callable<double[][]> decoding) {
        return pool.submit(() -> {
            long begun = System.nanoTime();
            double[][] inputs = decoding.call();
            return new Decoded(inputs, System.nanoTime() - begun);
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
