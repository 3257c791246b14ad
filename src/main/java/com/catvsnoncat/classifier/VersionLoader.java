package com.catvsnoncat.classifier;

import com.catvsnoncat.bus.Failure;
import com.catvsnoncat.classifier.ModelRegistry.Served;
import com.catvsnoncat.classifier.ModelRepository.Entry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the {@link ModelRepository} off the event loop: lists it and reads one version's file at a time on a thread of
 * its own, never on the shared worker pool, so a slow disk does not hold requests. Each read has a deadline.
 */
final class VersionLoader {
    private static final Logger LOG = LoggerFactory.getLogger(VersionLoader.class);
    /** Below the gateway's bus timeout (15 s), so the admin gets this answer rather than a 504. */
    private static final long LOAD_DEADLINE_MS = 10_000;

    private final ModelRepository repository;
    private final WorkerExecutor loads;

    VersionLoader(Vertx vertx, String name, ModelRepository repository) {
        this.repository = repository;
        this.loads = vertx.createSharedWorkerExecutor("catvsnoncat-model-load-" + name, 1);
    }

    /** The classifier's repository: the configured file, else the configured directory, else the jar's models. */
    static ModelRepository repositoryOf(ClassifierConfig settings) {
        return settings.modelPath().map(ModelRepository::singleFile)
                .or(() -> settings.repository().path().map(ModelRepository::directory))
                .orElseGet(ModelRepository::bundled);
    }

    Future<List<Entry>> list() {
        return loads.executeBlocking(repository::list, false);
    }

    /** Reads one version; it serves not yet warmed up. */
    Future<Served> read(Entry entry) {
        return loads.executeBlocking(() -> repository.load(entry), false)
                .timeout(LOAD_DEADLINE_MS, TimeUnit.MILLISECONDS)
                .map(model -> new Served(entry.name(), entry.version(), repository.label(entry, model), model, false,
                        entry.stamp()));
    }

    /**
     * Reads {@code file} (or, when empty, {@code current}'s own file again) to serve in {@code current}'s place, as its
     * name and version. A file that does not load fails with 422, the same whatever went wrong, so the answer does not
     * tell what exists on the server's disk; the log has the detail.
     */
    Future<Served> reread(Served current, Optional<Path> file) {
        Future<List<Entry>> entries = file.isPresent() ? Future.succeededFuture(List.of()) : list();
        return entries.compose(listed -> {
            Optional<Entry> configured = listed.stream()
                    .filter(entry -> entry.name().equals(current.name()) && entry.version() == current.version())
                    .findFirst();
            String named = file.map(Path::toString).or(() -> configured.map(Entry::where))
                    .orElse("the default model");
            return loads.executeBlocking(() -> file.map(ModelRepository::readFile).orElseGet(() ->
                            repository.load(configured.orElseThrow(() -> new IllegalStateException(
                                    "the repository no longer has " + current.name() + " " + current.label())))),
                    false).timeout(LOAD_DEADLINE_MS, TimeUnit.MILLISECONDS).map(model -> new Served(current.name(),
                            current.version(), repository.label(new Entry(current.name(), current.version(), named,
                            null), model), model, current.ready(), current.stamp()))
                    .onFailure(failure -> LOG.warn("model reload from {} failed, the old model keeps serving: {}",
                            named, failure.toString()))
                    .recover(failure -> Future.failedFuture(new ClassifierFailure(Failure.UNPROCESSABLE,
                            "no model could be loaded from " + named + "; the server log says why")));
        });
    }

    Future<Void> close() {
        return loads.close();
    }
}
