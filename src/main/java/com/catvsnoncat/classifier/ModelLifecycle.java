package com.catvsnoncat.classifier;

import com.catvsnoncat.bus.Failure;
import com.catvsnoncat.classifier.ModelRegistry.Served;
import com.catvsnoncat.model.Model;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of the served versions in the {@link ModelRegistry}: loaded by a {@link RepositorySync} at start and every
 * {@code pollMs} after, warmed up by {@link ModelWarmup}, loaded and unloaded on request, and reloaded from a given
 * file with rollback. Changes are made one at a time, in the order asked. Created and used on the classifier
 * verticle's context.
 */
final class ModelLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLifecycle.class);

    private final Vertx vertx;
    private final ClassifierConfig settings;
    private final ModelRegistry registry;
    private final VersionLoader loader;
    private final RepositoryIndex index = new RepositoryIndex();
    private final ModelWarmup warmup;
    private final RepositorySync sync;
    /** The change in progress; the next one starts after it. */
    private Future<?> changes = Future.succeededFuture();
    private long pollTimer = -1;

    /** @param workers the classifier's own workers: the warm-up runs there, to exercise what requests will use */
    ModelLifecycle(Vertx vertx, String name, ClassifierConfig settings, Classifier classifier,
                   ClassifierMetrics metrics, ModelStatistics statistics, WorkerExecutor workers) {
        this.vertx = vertx;
        this.settings = settings;
        this.registry = new ModelRegistry(settings.repository().defaultModel(), statistics);
        this.loader = new VersionLoader(vertx, name, VersionLoader.repositoryOf(settings));
        this.warmup = new ModelWarmup(classifier, workers, settings.warmupRuns());
        this.sync = new RepositorySync(vertx, settings.repository(), registry, loader, index, warmup, metrics);
    }

    ModelRegistry registry() {
        return registry;
    }

    /**
     * Lists the repository and loads what the policies choose; nothing may be served before this completes. The
     * first versions serve at once (requests do not wait for the warm-up). The jar's models and a configured file
     * must load, or the start fails; in a directory, a version that fails is reported and the others serve.
     */
    Future<Void> load() {
        return change(() -> sync.sync(true, settings.repository().path().isEmpty()));
    }

    /** Polls the repository from now on (a changed file is seen from its first stamp on), and warms up. */
    Future<Void> watchThenWarmUp() {
        long interval = settings.modelPath().isPresent()
                ? (settings.watchModel() ? settings.watchIntervalMs() : 0)
                : settings.repository().path().isPresent() ? settings.repository().pollMs() : 0;
        if (interval > 0) {
            pollTimer = vertx.setPeriodic(interval, tick -> {
                if (changes.isComplete()) {
                    change(() -> sync.sync(false, false));
                }
            });
        }
        warmup.warmUpFirstVersions(registry);
        return Future.succeededFuture();
    }

    /** True once the first versions have warmed up. */
    boolean ready() {
        return warmup.ready();
    }

    /**
     * Loads {@code file} (or, when empty, the default model's file again) and serves it in place of the default
     * model's highest version; a file that does not load leaves the old one serving (422).
     */
    Future<Model> reload(Optional<Path> file) {
        return change(() -> loader.reread(registry.resolve(Optional.empty(), Optional.empty()), file).map(next -> {
            registry.put(next);
            sync.serving();
            LOG.info("now serving model {} {} as {} {}", next.model().metadata().name(),
                    next.model().metadata().version(), next.name(), next.label());
            return next.model();
        }));
    }

    /** The repository extension's load: serves the model's versions again (after an unload), loading them now. */
    Future<JsonObject> loadModel(String name) {
        return change(() -> loader.list().compose(entries -> {
            if (entries.stream().noneMatch(entry -> entry.name().equals(name))) {
                return Future.failedFuture(new ClassifierFailure(Failure.NOT_FOUND, "the repository has no model \""
                        + name + "\""));
            }
            index.loadRequested(name);
            return sync.sync(false, false).compose(done -> registry.snapshot().containsKey(name)
                    ? Future.succeededFuture(new JsonObject())
                    : Future.failedFuture(new ClassifierFailure(Failure.UNPROCESSABLE, "no version of model \""
                    + name + "\" could be loaded; the repository index says why")));
        }));
    }

    /** The repository extension's unload: stops serving every version of the model until it is loaded again. */
    Future<JsonObject> unloadModel(String name) {
        return change(() -> {
            NavigableMap<Long, Served> versions = registry.snapshot().get(name);
            if (versions == null) {
                return Future.failedFuture(new ClassifierFailure(Failure.NOT_FOUND, "model \"" + name
                        + "\" is not loaded"));
            }
            index.unloaded(name);
            versions.keySet().forEach(version -> registry.remove(name, version));
            LOG.info("unloaded model {} on request", name);
            sync.announce();
            return Future.succeededFuture(new JsonObject());
        });
    }

    /** The repository index: every version there is or is served, with its state and, if it failed, why. */
    Future<JsonObject> index() {
        return loader.list().map(entries -> index.rows(entries, registry.snapshot()));
    }

    /** Stops polling and lets a running warm-up and change end (they report back to this context, going away). */
    Future<Void> stop() {
        if (pollTimer != -1) {
            vertx.cancelTimer(pollTimer);
        }
        return Future.join(warmup.stop(), changes).transform(done -> loader.close());
    }

    /** Runs {@code step} after the change in progress, so two never interleave. */
    private <T> Future<T> change(Supplier<Future<T>> step) {
        Future<T> next = changes.transform(previous -> {
            try {
                return step.get();
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
        });
        changes = next;
        return next;
    }
}
