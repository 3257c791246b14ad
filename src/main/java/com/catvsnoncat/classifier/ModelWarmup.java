package com.catvsnoncat.classifier;

import com.catvsnoncat.classifier.ModelRegistry.Served;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms up served versions ({@link Warmup}) on the classifier's own workers, so they exercise what requests will use.
 * The first versions serve before they are warm; {@link #ready()} turns true once the classifications of each have
 * warmed up, and their explanation and batch paths warm up after that, so a start is not held up by paths few
 * requests take. Later versions are warmed up entirely before they serve. Used on the classifier verticle's context.
 */
final class ModelWarmup {
    private static final Logger LOG = LoggerFactory.getLogger(ModelWarmup.class);

    private final Classifier classifier;
    private final WorkerExecutor workers;
    private final int runs;
    private volatile boolean warmedUp;
    private volatile boolean stopping;
    private Future<?> firstVersions = Future.succeededFuture();

    ModelWarmup(Classifier classifier, WorkerExecutor workers, int runs) {
        this.classifier = classifier;
        this.workers = workers;
        this.runs = runs;
    }

    /** Warms up one version, every path; done early when stopping. */
    Future<Void> warmUp(Served served) {
        return classifications(served).compose(done -> otherPaths(served));
    }

    private Future<Void> classifications(Served served) {
        return workers.executeBlocking(() -> {
            Warmup.classifications(classifier, served.model(), runs, () -> stopping);
            return null;
        }, false);
    }

    private Future<Void> otherPaths(Served served) {
        return workers.executeBlocking(() -> {
            if (!stopping) {
                Warmup.otherPaths(classifier, served.model(), runs);
            }
            return null;
        }, false);
    }

    /**
     * Warms up the classifications of what {@code registry} serves now, one version after the other, and marks each
     * ready; then their other paths.
     */
    void warmUpFirstVersions(ModelRegistry registry) {
        long start = System.nanoTime();
        List<Served> first = registry.snapshot().values().stream().flatMap(versions -> versions.values().stream())
                .toList();
        Future<?> all = Future.succeededFuture();
        for (Served served : first) {
            all = all.compose(done -> classifications(served).onSuccess(warm -> {
                // Only if it still serves as it was: a reload may have replaced it meanwhile.
                if (registry.get(served.name(), served.version()).orElse(null) == served) {
                    registry.put(served.warm());
                }
            }));
        }
        Future<?> classified = all.onSuccess(done -> {
            if (stopping) {
                return;
            }
            warmedUp = true;
            LOG.info("warmed up {} model versions with {} runs each in {} ms, ready", first.size(), runs,
                    (System.nanoTime() - start) / 1_000_000);
        }).onFailure(failure -> LOG.error("warm-up failed; the classifier stays not ready", failure));
        Future<?> rest = classified;
        for (Served served : first) {
            rest = rest.compose(done -> otherPaths(served));
        }
        firstVersions = rest.onFailure(failure -> LOG.warn("warm-up of the explanation and batch paths failed",
                failure));
    }

    /** True once the first versions have warmed up. */
    boolean ready() {
        return warmedUp;
    }

    /** Cuts a running warm-up short; completes when it has ended (it runs on workers that close next). */
    Future<?> stop() {
        stopping = true;
        return firstVersions;
    }
}
