package com.catvsnoncat.classifier;

import com.catvsnoncat.classifier.ClassifierRequests.InlinePicture;
import com.catvsnoncat.classifier.ClassifierRequests.PictureUrl;
import com.catvsnoncat.model.Model;
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
        return picture(source).compose(picture -> {
            Context request = spans.current();
            Model model = models.current();
            Instant begun = Instant.now();
            Future<Classifier.Prediction> predicted = !batcher.enabled(model)
                    ? pool.submit(() -> classifier.classify(model, picture.bytes()))
                    : decode(() -> new double[][] {classifier.input(picture.bytes())})
                            .compose(decoded -> batcher.predict(model, decoded.inputs()).map(share ->
                                    new Classifier.Prediction(share.probabilities()[0], decoded.decodeNanos(),
                                            share.inferNanos())));
            return predicted.map(prediction -> {
                spans.decodeAndInference(request, begun, prediction.decodeNanos(), prediction.inferNanos());
                record(prediction);
                return Replies.classification(model, prediction, picture.fetchNanos(), System.nanoTime() - start);
            });
        });
    }

    Future<JsonObject> explain(JsonObject body, long start) {
        ClassifierRequests.Picture source = ClassifierRequests.picture(body);
        return picture(source).compose(picture -> pool.submit(() -> {
            Model model = models.current();
            Classifier.Explanation explanation = classifier.explain(model, picture.bytes());
            record(explanation.prediction());
            return Replies.explanation(model, explanation, picture.fetchNanos(), System.nanoTime() - start);
        }));
    }

    Future<JsonObject> infer(JsonObject body, long start) {
        ClassifierRequests.Batch batch = ClassifierRequests.batch(body, settings.maxBatch());
        Model model = models.current();
        Future<Classifier.Batch> inferred = !batcher.enabled(model)
                ? pool.submit(() -> batch.infer(classifier, model))
                : decode(() -> batch.inputs(classifier)).compose(decoded -> batcher.predict(model, decoded.inputs())
                        .map(share -> new Classifier.Batch(share.probabilities(), decoded.decodeNanos(),
                                share.inferNanos())));
        return inferred.map(result -> {
            metrics.inference(result.decodeNanos() + result.inferNanos());
            for (double probability : result.probabilities()) {
                metrics.classified(Classifier.label(probability));
            }
            return Replies.batch(model, result, System.nanoTime() - start);
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

    JsonObject metadata() {
        return Replies.metadata(models.current());
    }

    JsonObject readiness() {
        return Replies.readiness(models.ready(), models.current());
    }

    Future<JsonObject> reload(JsonObject body) {
        return models.reload(ClassifierRequests.reloadPath(body)).map(Replies::modelInfo);
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
