package com.catvsnoncat.classifier;

import com.catvsnoncat.bus.Deadlines;
import com.catvsnoncat.bus.Failure;
import com.catvsnoncat.bus.RequestIds;
import com.catvsnoncat.tracing.Tracing;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classifier service on the event bus ({@link ClassifierApi}): binds its addresses to {@link ClassifierService},
 * with the request deadline and the failure codes. Loads the model before it answers anything ({@link
 * ModelLifecycle}), then warms up; READY says true only after the classifications have warmed up ({@link
 * ModelWarmup}). Deploy one instance: the work is in the worker pool, and the model is held here.
 */
public final class ClassifierVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(ClassifierVerticle.class);

    /** A request handler; {@code startNanos} is when the message arrived, for the reply's totalMs. */
    @FunctionalInterface
    private interface Handler {
        Future<JsonObject> handle(JsonObject body, long startNanos);
    }

    private ClassifierConfig settings;
    private ClassifierMetrics metrics;
    private ClassifierSpans spans;
    private WorkerExecutor executor;
    private ImageFetcher fetcher;
    private ModelLifecycle models;

    @Override
    public Future<?> start() {
        settings = ClassifierConfig.from(config());
        metrics = new ClassifierMetrics(BackendRegistries.getDefaultNow());
        spans = new ClassifierSpans(Tracing.tracer(vertx));
        Classifier classifier = new Classifier(settings.maxPixels(), settings.maxSide(), settings.saliencyScale());
        executor = vertx.createSharedWorkerExecutor("catvsnoncat-classifier-" + deploymentID(), settings.workers());
        fetcher = new ImageFetcher(vertx, settings.fetch());
        ModelStatistics statistics = new ModelStatistics(BackendRegistries.getDefaultNow());
        models = new ModelLifecycle(vertx, deploymentID(), settings, classifier, metrics, statistics, executor);
        InferencePool pool = new InferencePool(executor, settings.workers() + settings.maxQueued());
        DynamicBatcher batcher = new DynamicBatcher(vertx, pool::continueWith, metrics, settings.workers());
        ClassifierService service = new ClassifierService(settings, classifier, pool, fetcher, spans, metrics,
                statistics, models, batcher);
        return models.load().compose(loaded -> Future.all(List.of(
                        consume(ClassifierApi.CLASSIFY, true, service::classify),
                        consume(ClassifierApi.EXPLAIN, true, service::explain),
                        consume(ClassifierApi.INFER, true, service::infer),
                        consume(ClassifierApi.MODEL, false, (body, start) ->
                                Future.succeededFuture(service.metadata(body))),
                        consume(ClassifierApi.READY, false, (body, start) ->
                                Future.succeededFuture(service.readiness(body))),
                        consume(ClassifierApi.RELOAD, false, (body, start) -> service.reload(body)),
                        consume(ClassifierApi.LIST, false, (body, start) -> Future.succeededFuture(service.list())),
                        consume(ClassifierApi.STATS, false, (body, start) ->
                                Future.succeededFuture(service.statistics(body))),
                        consume(ClassifierApi.REPOSITORY_INDEX, false, (body, start) -> service.index()),
                        consume(ClassifierApi.REPOSITORY_LOAD, false, (body, start) -> service.load(body)),
                        consume(ClassifierApi.REPOSITORY_UNLOAD, false, (body, start) -> service.unload(body)))))
                // Watching starts before start() completes: a change written right after deployment is not missed.
                .compose(bound -> models.watchThenWarmUp());
    }

    @Override
    public Future<?> stop() {
        // The warm-up runs on the executor: it ends before the executor closes.
        return models.stop().transform(done -> Future.all(fetcher.close(), executor.close()));
    }

    private Future<Void> consume(String address, boolean deadline, Handler handler) {
        return vertx.eventBus().<Object>consumer(address, message -> {
            long start = System.nanoTime();
            spans.requestId(message.headers().get(RequestIds.KEY));
            Future<JsonObject> reply;
            try {
                reply = handler.handle(ClassifierRequests.object(message.body()), start);
            } catch (RuntimeException e) {
                reply = Future.failedFuture(e);
            }
            if (deadline) {
                reply = Deadlines.within(context, settings.deadlineMs(), reply, () -> new ClassifierFailure(
                        Failure.TIMEOUT, "the classification took longer than " + settings.deadlineMs() + " ms"));
            }
            reply.onSuccess(message::reply).onFailure(failure -> fail(message, failure));
        }).completion();
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
}
