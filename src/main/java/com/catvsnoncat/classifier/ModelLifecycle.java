package com.catvsnoncat.classifier;

import com.catvsnoncat.bus.Failure;
import com.catvsnoncat.model.Model;
import com.catvsnoncat.model.ModelFileException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The served model's life around its {@link ModelRegistry}: loaded before anything is answered, warmed up before it
 * is ready, its file watched, reloaded with rollback (a file that fails to load leaves the old model serving).
 * Created and used on the classifier verticle's context.
 */
final class ModelLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLifecycle.class);
    /** Below the gateway's bus timeout (15 s), so the admin gets this answer rather than a 504. */
    private static final long RELOAD_DEADLINE_MS = 10_000;

    private final Vertx vertx;
    private final ClassifierConfig settings;
    private final Classifier classifier;
    private final ClassifierMetrics metrics;
    /** Runs the warm-up: the classifier's own workers, so it exercises what requests will use. */
    private final WorkerExecutor workers;
    /** Model files are read here, one at a time, never on the shared worker pool. */
    private final WorkerExecutor reloads;
    private ModelRegistry registry;
    private volatile boolean warmedUp;
    private volatile boolean stopping;
    private Future<Void> warmup = Future.succeededFuture();
    private long watchTimer = -1;

    ModelLifecycle(Vertx vertx, String name, ClassifierConfig settings, Classifier classifier,
                   ClassifierMetrics metrics, WorkerExecutor workers) {
        this.vertx = vertx;
        this.settings = settings;
        this.classifier = classifier;
        this.metrics = metrics;
        this.workers = workers;
        this.reloads = vertx.createSharedWorkerExecutor("catvsnoncat-model-reload-" + name, 1);
    }

    /** Loads the configured model; nothing may be served before this completes. */
    Future<Model> load() {
        return vertx.executeBlocking(() -> ModelRegistry.load(settings.modelPath()), false).onSuccess(model -> {
            registry = new ModelRegistry(model, settings.modelPath());
            metrics.serving(model);
            LOG.info("serving model {} {}", model.metadata().name(), model.metadata().version());
        });
    }

    /** Watches the model file (when configured), then warms up; completes once every later change will be seen. */
    Future<Void> watchThenWarmUp() {
        return watchModelFile().onSuccess(watching -> warmUp());
    }

    Model current() {
        return registry.current();
    }

    /** True once the warm-up has run. */
    boolean ready() {
        return warmedUp;
    }

    /**
     * Loads on the reload thread and swaps; a file that does not load leaves the old model serving (422). Anything
     * but a regular file (a FIFO, a device, a directory) is refused before it is opened, since opening a FIFO blocks
     * until someone writes to it; the load has a deadline, and runs on its own thread, so a stuck one holds neither
     * the shared workers nor the caller. The answer is the same whatever went wrong, so it does not tell what exists
     * on the server's disk; the log has the detail.
     *
     * @param file the file to load; empty for the configured one (or the embedded default)
     */
    Future<Model> reload(Optional<Path> file) {
        String named = file.or(settings::modelPath).map(Path::toString).orElse("the embedded model");
        return reloads.executeBlocking(() -> {
            file.or(settings::modelPath).ifPresent(ModelLifecycle::requireRegularFile);
            return registry.reload(file);
        }, false).timeout(RELOAD_DEADLINE_MS, TimeUnit.MILLISECONDS).onSuccess(model -> {
            metrics.serving(model);
            LOG.info("now serving model {} {}", model.metadata().name(), model.metadata().version());
        }).onFailure(failure -> LOG.warn("model reload from {} failed, the old model keeps serving: {}", named,
                failure.toString())).recover(failure -> Future.failedFuture(new ClassifierFailure(
                Failure.UNPROCESSABLE, "no model could be loaded from " + named
                + "; the server log says why")));
    }

    /** Stops watching and lets a running warm-up end (it reports back to this context, which is going away). */
    Future<Void> stop() {
        stopping = true;
        if (watchTimer != -1) {
            vertx.cancelTimer(watchTimer);
        }
        return warmup.transform(done -> reloads.close());
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
        warmup = workers.<Void>executeBlocking(() -> {
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
                                reload(Optional.empty());
                            }
                        }))).mapEmpty();
    }
}
