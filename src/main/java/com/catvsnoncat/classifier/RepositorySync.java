package com.catvsnoncat.classifier;

import com.catvsnoncat.classifier.ModelRegistry.Served;
import com.catvsnoncat.classifier.ModelRepository.Entry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the {@link ModelRegistry} in line with the repository: loads the versions each model's {@link VersionPolicy}
 * chooses that are not served (or whose file changed), then drops served versions no longer chosen, once the model
 * has a chosen one serving, so requests always find one. Tells the gateways when the set of model names changes.
 * Used on the classifier verticle's context, one sync at a time.
 */
final class RepositorySync {
    private static final Logger LOG = LoggerFactory.getLogger(RepositorySync.class);

    private final Vertx vertx;
    private final ClassifierConfig.Repository settings;
    private final ModelRegistry registry;
    private final VersionLoader loader;
    private final RepositoryIndex index;
    private final ModelWarmup warmup;
    private final ClassifierMetrics metrics;
    private Set<String> published = Set.of();

    RepositorySync(Vertx vertx, ClassifierConfig.Repository settings, ModelRegistry registry, VersionLoader loader,
                   RepositoryIndex index, ModelWarmup warmup, ClassifierMetrics metrics) {
        this.vertx = vertx;
        this.settings = settings;
        this.registry = registry;
        this.loader = loader;
        this.index = index;
        this.warmup = warmup;
        this.metrics = metrics;
    }

    /**
     * @param first the first sync: versions serve at once and are warmed up after; later ones warm up first
     * @param mustLoad fail if a version does not load (the jar's models, a configured file)
     */
    Future<Void> sync(boolean first, boolean mustLoad) {
        return loader.list().compose(entries -> {
            VersionPlan plan = VersionPlan.of(entries, settings, registry, index);
            Future<Void> loaded = Future.succeededFuture();
            for (Entry entry : plan.toLoad()) {
                loaded = loaded.compose(done -> loadVersion(entry, first, mustLoad));
            }
            return loaded.map(done -> {
                dropUnchosen(plan);
                serving();
                announce();
                return null;
            });
        });
    }

    /** Points the model info metric at the default answer. */
    void serving() {
        try {
            metrics.serving(registry.resolve(Optional.empty(), Optional.empty()).model());
        } catch (ClassifierFailure noDefault) {
            // no default model to point at: the metric keeps the last one
        }
    }

    /** Tells the gateways which model names there are, so they answer 404 for others before reading a body. */
    void announce() {
        Set<String> names = Set.copyOf(registry.snapshot().keySet());
        if (!names.equals(published)) {
            published = names;
            vertx.eventBus().publish(ClassifierApi.MODELS_CHANGED, new JsonObject().put(ClassifierApi.MODELS,
                    new JsonArray(names.stream().sorted().collect(Collectors.toList()))));
        }
    }

    private Future<Void> loadVersion(Entry entry, boolean first, boolean mustLoad) {
        index.loading(entry);
        Future<Served> read = loader.read(entry);
        Future<Served> warm = first ? read : read.compose(served -> warmup.warmUp(served).map(done -> served.warm()));
        return warm.transform(outcome -> {
            if (outcome.succeeded()) {
                index.loaded(entry);
                registry.put(outcome.result());
                LOG.info("serving model {} version {} ({} {})", entry.name(), outcome.result().label(),
                        outcome.result().model().metadata().name(), outcome.result().model().metadata().version());
                return Future.succeededFuture();
            }
            String reason = outcome.cause().getMessage() != null ? outcome.cause().getMessage()
                    : outcome.cause().toString();
            index.failed(entry, reason);
            LOG.warn("model {} version {} from {} did not load; what was serving keeps serving: {}", entry.name(),
                    entry.version(), entry.where(), reason);
            return mustLoad ? Future.failedFuture(outcome.cause()) : Future.succeededFuture();
        });
    }

    private void dropUnchosen(VersionPlan plan) {
        registry.snapshot().forEach((name, versions) -> {
            // A model that is gone from the repository (or whose wanted versions all failed) keeps what it had.
            if (!plan.servesAChosenVersion(name, versions)) {
                return;
            }
            plan.unchosen(name, versions).forEach(version -> {
                registry.remove(name, version);
                LOG.info("model {} version {} no longer served (version policy)", name, version);
            });
        });
    }
}
