package com.catvsnoncat.classifier;

import com.catvsnoncat.bus.Failure;
import com.catvsnoncat.bus.RequestIds;
import com.catvsnoncat.model.Model;
import com.catvsnoncat.model.ModelFileException;
import com.catvsnoncat.tracing.Tracing;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classifier service on the event bus ({@link ClassifierApi}). This verticle runs on an event loop and only
 * checks requests, downloads pictures (asynchronously) and replies; decoding and the network run in a bounded
 * worker pool ({@link InferencePool}). Loads the model before it answers anything, then warms up; READY says true
 * only after the warm-up. Deploy one instance: the work is in the worker pool, and the model is held here.
 */
public final class ClassifierVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(ClassifierVerticle.class);
    /** Below the gateway's bus timeout (15 s), so the admin gets this answer rather than a 504. */
    private static final long RELOAD_DEADLINE_MS = 10_000;

    /** A request handler; {@code startNanos} is when the message arrived, for the reply's totalMs. */
    @FunctionalInterface
    private interface Handler {
        Future<JsonObject> handle(JsonObject body, long startNanos);
    }

    /** A picture to classify: downloaded, or still in the request (its base64 is decoded on the worker). */
    private record Picture(Buffer downloaded, JsonObject request, long fetchNanos) {
        byte[] bytes() {
            return downloaded != null ? downloaded.getBytes() : binary(request, ClassifierApi.IMAGE);
        }
    }

    private ClassifierConfig settings;
    private ClassifierMetrics metrics;
    private Classifier classifier;
    private WorkerExecutor executor;
    /** Model files are read here, one at a time, never on the shared worker pool. */
    private WorkerExecutor reloads;
    private InferencePool pool;
    private ImageFetcher fetcher;
    private ModelRegistry registry;
    private volatile boolean warmedUp;
    private volatile boolean stopping;
    private Future<Void> warmup = Future.succeededFuture();
    private long watchTimer = -1;
    private ClassifierSpans spans;

    @Override
    public Future<?> start() {
        settings = ClassifierConfig.from(config());
        metrics = new ClassifierMetrics(BackendRegistries.getDefaultNow());
        classifier = new Classifier(settings.maxPixels(), settings.maxSide(), settings.saliencyScale());
        executor = vertx.createSharedWorkerExecutor("catvsnoncat-classifier-" + deploymentID(), settings.workers());
        reloads = vertx.createSharedWorkerExecutor("catvsnoncat-model-reload-" + deploymentID(), 1);
        pool = new InferencePool(executor, settings.workers() + settings.maxQueued());
        fetcher = new ImageFetcher(vertx, settings.fetch());
        spans = new ClassifierSpans(Tracing.tracer(vertx));
        return vertx.executeBlocking(() -> ModelRegistry.load(settings.modelPath()), false)
                .compose(model -> {
                    registry = new ModelRegistry(model, settings.modelPath());
                    metrics.serving(model);
                    LOG.info("serving model {} {}", model.metadata().name(), model.metadata().version());
                    return Future.all(List.of(
                            consume(ClassifierApi.CLASSIFY, true, this::classify),
                            consume(ClassifierApi.EXPLAIN, true, this::explain),
                            consume(ClassifierApi.INFER, true, this::infer),
                            consume(ClassifierApi.MODEL, false, (body, start) ->
                                    Future.succeededFuture(Replies.metadata(registry.current()))),
                            consume(ClassifierApi.READY, false, (body, start) ->
                                    Future.succeededFuture(Replies.readiness(warmedUp, registry.current()))),
                            consume(ClassifierApi.RELOAD, false, this::reload)));
                })
                // Started before start() completes: a change written right after deployment is not missed.
                .compose(registered -> watchModelFile())
                .onSuccess(watching -> warmUp());
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        if (watchTimer != -1) {
            vertx.cancelTimer(watchTimer);
        }
        // The warm-up reports back to this verticle's context, so let it end before the context goes.
        return warmup.transform(done -> Future.all(fetcher.close(), executor.close(), reloads.close()));
    }

    private Future<Void> consume(String address, boolean deadline, Handler handler) {
        return vertx.eventBus().<Object>consumer(address, message -> {
            long start = System.nanoTime();
            spans.requestId(message.headers().get(RequestIds.KEY));
            Future<JsonObject> reply;
            try {
                if (!(message.body() instanceof JsonObject body)) {
                    throw new ClassifierFailure(Failure.BAD_REQUEST, "the request must be a JSON object");
                }
                reply = handler.handle(body, start);
            } catch (RuntimeException e) {
                reply = Future.failedFuture(e);
            }
            if (deadline) {
                reply = RequestDeadline.within(vertx, settings.deadlineMs(), reply);
            }
            reply.onSuccess(message::reply).onFailure(failure -> fail(message, failure));
        }).completion();
    }

    private Future<JsonObject> classify(JsonObject body, long start) {
        return picture(body).compose(picture -> {
            Context request = spans.current();
            return pool.submit(() -> {
                Model model = registry.current();
                Instant begun = Instant.now();
                Classifier.Prediction prediction = classifier.classify(model, picture.bytes());
                spans.decodeAndInference(request, begun, prediction.decodeNanos(), prediction.inferNanos());
                record(prediction);
                return Replies.classification(model, prediction, picture.fetchNanos(), System.nanoTime() - start);
            });
        });
    }

    private Future<JsonObject> explain(JsonObject body, long start) {
        return picture(body).compose(picture -> pool.submit(() -> {
            Model model = registry.current();
            Classifier.Explanation explanation = classifier.explain(model, picture.bytes());
            record(explanation.prediction());
            return Replies.explanation(model, explanation, picture.fetchNanos(), System.nanoTime() - start);
        }));
    }

    private void record(Classifier.Prediction prediction) {
        metrics.inference(prediction.decodeNanos() + prediction.inferNanos());
        metrics.classified(prediction.label());
    }

    private Future<Picture> picture(JsonObject body) {
        Object url = body.getValue(ClassifierApi.URL);
        boolean hasImage = body.getValue(ClassifierApi.IMAGE) != null;
        if ((url == null) == !hasImage) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "give the picture either as \"" + ClassifierApi.IMAGE
                    + "\" (bytes) or as \"" + ClassifierApi.URL + "\", not " + (hasImage ? "both" : "neither"));
        }
        if (hasImage) {
            return Future.succeededFuture(new Picture(null, body, 0));
        }
        if (!(url instanceof String text)) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "\"" + ClassifierApi.URL + "\" must be a string");
        }
        long fetchStart = System.nanoTime();
        return spans.fetch(() -> fetcher.fetch(text)).map(bytes -> {
            long fetchNanos = System.nanoTime() - fetchStart;
            metrics.fetch(fetchNanos);
            return new Picture(bytes, body, fetchNanos);
        }).onFailure(failure -> {
            if (failure instanceof FetchRefusal refusal) {
                metrics.fetchRefused(refusal.reason());
            }
        });
    }

    private Future<JsonObject> infer(JsonObject body, long start) {
        boolean hasImages = body.getValue(ClassifierApi.IMAGES) != null;
        boolean hasPixels = body.getValue(ClassifierApi.PIXELS) != null;
        if (hasImages == hasPixels) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "give the batch either as \"" + ClassifierApi.IMAGES
                    + "\" (encoded pictures) or as \"" + ClassifierApi.PIXELS + "\" with \"" + ClassifierApi.COUNT
                    + "\" and \"" + ClassifierApi.DATATYPE + "\", not " + (hasImages ? "both" : "neither"));
        }
        if (hasImages) {
            if (!(body.getValue(ClassifierApi.IMAGES) instanceof JsonArray images)) {
                throw new ClassifierFailure(Failure.BAD_REQUEST, "\"" + ClassifierApi.IMAGES + "\" must be an array");
            }
            checkBatchSize(images.size());
            return pool.submit(() -> {
                List<byte[]> pictures = new ArrayList<>(images.size());
                for (int i = 0; i < images.size(); i++) {
                    pictures.add(binaryAt(images, i));
                }
                Model model = registry.current();
                return batchReply(model, classifier.inferImages(model, pictures), start);
            });
        }
        if (!(body.getValue(ClassifierApi.COUNT) instanceof Integer count)) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "\"" + ClassifierApi.COUNT
                    + "\" (the number of pictures in \"" + ClassifierApi.PIXELS + "\") must be an integer");
        }
        checkBatchSize(count);
        String datatype = body.getValue(ClassifierApi.DATATYPE) instanceof String text ? text : null;
        PixelTensors.bytesPerValue(datatype);
        return pool.submit(() -> {
            double[][] inputs = PixelTensors.inputs(binary(body, ClassifierApi.PIXELS), count, datatype);
            Model model = registry.current();
            return batchReply(model, classifier.inferInputs(model, inputs), start);
        });
    }

    private JsonObject batchReply(Model model, Classifier.Batch batch, long start) {
        metrics.inference(batch.decodeNanos() + batch.inferNanos());
        for (double probability : batch.probabilities()) {
            metrics.classified(Classifier.label(probability));
        }
        return Replies.batch(model, batch, System.nanoTime() - start);
    }

    private void checkBatchSize(int count) {
        if (count < 1) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "the batch is empty");
        }
        if (count > settings.maxBatch()) {
            throw new ClassifierFailure(Failure.PAYLOAD_TOO_LARGE, "a batch of " + count
                    + " pictures is above the limit of " + settings.maxBatch());
        }
    }

    private Future<JsonObject> reload(JsonObject body, long start) {
        Object path = body.getValue(ClassifierApi.PATH);
        if (path != null && !(path instanceof String)) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "\"" + ClassifierApi.PATH + "\" must be a string");
        }
        Optional<Path> file;
        try {
            file = Optional.ofNullable((String) path).map(Path::of);
        } catch (InvalidPathException e) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "\"" + ClassifierApi.PATH + "\" is not a valid path: "
                    + e.getReason());
        }
        return reloadModel(file).map(Replies::modelInfo);
    }

    /**
     * Loads on the reload thread and swaps; a file that does not load leaves the old model serving (422). Anything
     * but a regular file (a FIFO, a device, a directory) is refused before it is opened, since opening a FIFO blocks
     * until someone writes to it; the load has a deadline, and runs on its own thread, so a stuck one holds neither
     * the shared workers nor the caller. The answer is the same whatever went wrong, so it does not tell what exists
     * on the server's disk; the log has the detail.
     */
    private Future<Model> reloadModel(Optional<Path> file) {
        String named = file.or(settings::modelPath).map(Path::toString).orElse("the embedded model");
        return reloads.executeBlocking(() -> {
            file.or(settings::modelPath).ifPresent(ClassifierVerticle::requireRegularFile);
            return registry.reload(file);
        }, false).timeout(RELOAD_DEADLINE_MS, TimeUnit.MILLISECONDS).onSuccess(model -> {
            metrics.serving(model);
            LOG.info("now serving model {} {}", model.metadata().name(), model.metadata().version());
        }).onFailure(failure -> LOG.warn("model reload from {} failed, the old model keeps serving: {}", named,
                failure.toString())).recover(failure -> Future.failedFuture(new ClassifierFailure(
                Failure.UNPROCESSABLE, "no model could be loaded from " + named + "; the server log says why")));
    }

    private static void requireRegularFile(Path path) {
        try {
            if (!Files.readAttributes(path, BasicFileAttributes.class).isRegularFile()) {
                throw new ModelFileException(path + ": not a regular file");
            }
        } catch (IOException e) {
            throw new ModelFileException(path + ": " + e, e);
        }
    }

    private void warmUp() {
        Model model = registry.current();
        long start = System.nanoTime();
        warmup = executor.<Void>executeBlocking(() -> {
            Warmup.run(classifier, model, settings.warmupRuns(), () -> stopping);
            return null;
        }, false).onSuccess(done -> {
            if (stopping) {
                return;
            }
            warmedUp = true;
            LOG.info("warmed up with {} runs in {} ms, ready", settings.warmupRuns(),
                    (System.nanoTime() - start) / 1_000_000);
        }).onFailure(failure -> LOG.error("warm-up failed; the classifier stays not ready", failure));
    }

    /** Completes once the file's first stamp is taken, so every change after it is seen. */
    private Future<Void> watchModelFile() {
        if (!settings.watchModel()) {
            return Future.succeededFuture();
        }
        Path path = settings.modelPath().orElseThrow();
        return vertx.executeBlocking(() -> new ModelFileWatcher(path)).onSuccess(watcher ->
                watchTimer = vertx.setPeriodic(settings.watchIntervalMs(), tick ->
                        // Ordered on this context, so one check ends before the next begins.
                        vertx.executeBlocking(watcher::changed).onSuccess(changed -> {
                            if (changed) {
                                reloadModel(Optional.empty());
                            }
                        }))).mapEmpty();
    }

    private void fail(Message<Object> message, Throwable failure) {
        int code;
        String text;
        if (failure instanceof ClassifierFailure known) {
            code = known.failure().status();
            text = known.getMessage();
        } else {
            RequestIds.withRequestId(message, () -> LOG.error("classifier request failed unexpectedly", failure));
            code = 500;
            text = "internal error in the classifier";
        }
        metrics.failure(code);
        message.fail(code, text);
    }

    /** Bytes from a JSON field that holds a byte[] or base64 text. */
    private static byte[] binary(JsonObject body, String field) {
        try {
            byte[] bytes = body.getBinary(field);
            return bytes == null ? new byte[0] : bytes;
        } catch (ClassCastException | IllegalArgumentException e) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "\"" + field + "\" must be bytes (base64 in JSON text)");
        }
    }

    private static byte[] binaryAt(JsonArray array, int index) {
        try {
            byte[] bytes = array.getBinary(index);
            return bytes == null ? new byte[0] : bytes;
        } catch (ClassCastException | IllegalArgumentException e) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "\"" + ClassifierApi.IMAGES + "\"[" + index
                    + "] must be bytes (base64 in JSON text)");
        }
    }
}
