package com.catvsnoncat.classifier;

import com.catvsnoncat.bus.Failure;
import com.catvsnoncat.classifier.ModelRegistry.Served;
import com.catvsnoncat.classifier.ModelRepository.Entry;
import com.catvsnoncat.model.Model;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of the served versions in the {@link ModelRegistry}: listed from the {@link ModelRepository}, chosen by
 * each model's {@link VersionPolicy}, loaded one at a time on their own thread, warmed up before they are ready,
 * listed again every {@code pollMs} (new, changed and removed versions), loaded and unloaded on request, and reloaded
 * from a given file with rollback. A version that fails to load is reported and leaves the others serving; a version
 * that goes away is dropped only once a version the policy wants is serving, so requests always find one. Created
 * and used on the classifier verticle's context; changes are made one at a time.
 */
final class ModelLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLifecycle.class);
    /** Below the gateway's bus timeout (15 s), so the admin gets this answer rather than a 504. */
    private static final long LOAD_DEADLINE_MS = 10_000;

    /** A version's state in the repository index (Triton's names). */
    static final String READY = ClassifierApi.STATE_READY;
    static final String LOADING = "LOADING";
    static final String UNAVAILABLE = "UNAVAILABLE";

    private record Key(String name, long version) {
    }

    /** Why a version did not load, and the file's stamp then: it is tried again only once the file changes. */
    private record Failed(Object stamp, String reason) {
    }

    private final Vertx vertx;
    private final ClassifierConfig settings;
    private final ModelRepository repository;
    private final ModelRegistry registry;
    private final Classifier classifier;
    private final ClassifierMetrics metrics;
    /** Runs warm-ups: the classifier's own workers, so they exercise what requests will use. */
    private final WorkerExecutor workers;
    /** Lists the repository and reads model files, one at a time, never on the shared worker pool. */
    private final WorkerExecutor loads;
    private final Map<Key, Failed> failures = new HashMap<>();
    private final Set<Key> loading = new HashSet<>();
    /** Models unloaded on request: not loaded again until a load request. */
    private final Set<String> unloaded = new HashSet<>();
    private Set<String> published = Set.of();
    /** The change in progress; the next one starts after it. */
    private Future<?> changes = Future.succeededFuture();
    private volatile boolean warmedUp;
    private volatile boolean stopping;
    private Future<?> warmup = Future.succeededFuture();
    private long pollTimer = -1;

    ModelLifecycle(Vertx vertx, String name, ClassifierConfig settings, Classifier classifier,
                   ClassifierMetrics metrics, ModelStatistics statistics, WorkerExecutor workers) {
        this.vertx = vertx;
        this.settings = settings;
        this.classifier = classifier;
        this.metrics = metrics;
        this.workers = workers;
        this.repository = settings.modelPath().map(ModelRepository::singleFile)
                .or(() -> settings.repository().path().map(ModelRepository::directory))
                .orElseGet(ModelRepository::bundled);
        this.registry = new ModelRegistry(settings.repository().defaultModel(), statistics);
        this.loads = vertx.createSharedWorkerExecutor("catvsnoncat-model-load-" + name, 1);
    }

    ModelRegistry registry() {
        return registry;
    }

    /**
     * Lists the repository and loads what the policies choose; nothing may be served before this completes. The
     * first versions serve at once (requests do not wait for the warm-up) and are warmed up next; {@link #ready()}
     * turns true after. The jar's models and a configured file must load, or the start fails; in a directory, a
     * version that fails is reported and the others serve.
     */
    Future<Void> load() {
        boolean mustLoad = settings.repository().path().isEmpty();
        Future<Void> first = sync(true, mustLoad);
        changes = first;
        return first;
    }

    /** Polls the repository from now on (a changed file is seen from its first stamp on), and warms up. */
    Future<Void> watchThenWarmUp() {
        long interval = settings.modelPath().isPresent()
                ? (settings.watchModel() ? settings.watchIntervalMs() : 0)
                : settings.repository().path().isPresent() ? settings.repository().pollMs() : 0;
        if (interval > 0) {
            pollTimer = vertx.setPeriodic(interval, tick -> {
                if (changes.isComplete()) {
                    change(() -> sync(false, false));
                }
            });
        }
        warmUpFirstVersions();
        return Future.succeededFuture();
    }

    /** True once the first versions have warmed up. */
    boolean ready() {
        return warmedUp;
    }

    /**
     * Loads {@code file} (or, when empty, the default model's file again) and serves it in place of the default
     * model's highest version; a file that does not load leaves the old one serving (422). The answer is the same
     * whatever went wrong, so it does not tell what exists on the server's disk; the log has the detail.
     */
    Future<Model> reload(Optional<Path> file) {
        return change(() -> {
            Served current = registry.resolve(Optional.empty(), Optional.empty());
            Optional<Entry> configured = file.isPresent() ? Optional.empty() : repository.list().stream()
                    .filter(entry -> entry.name().equals(current.name()) && entry.version() == current.version())
                    .findFirst();
            String named = file.map(Path::toString).or(() -> configured.map(Entry::where))
                    .orElse("the default model");
            return loads.executeBlocking(() -> file.map(ModelRepository::readFile).orElseGet(() ->
                            repository.load(configured.orElseThrow(() -> new IllegalStateException(
                                    "the repository no longer has " + current.name() + " " + current.label())))),
                    false).timeout(LOAD_DEADLINE_MS, TimeUnit.MILLISECONDS).map(model -> {
                        Served next = new Served(current.name(), current.version(),
                                repository.label(new Entry(current.name(), current.version(), named, null), model),
                                model, current.ready(), current.stamp());
                        registry.put(next);
                        serving();
                        LOG.info("now serving model {} {} as {} {}", model.metadata().name(),
                                model.metadata().version(), next.name(), next.label());
                        return model;
                    }).onFailure(failure -> LOG.warn("model reload from {} failed, the old model keeps serving: {}",
                            named, failure.toString()))
                    .recover(failure -> Future.failedFuture(new ClassifierFailure(Failure.UNPROCESSABLE,
                            "no model could be loaded from " + named + "; the server log says why")));
        });
    }

    /** The repository extension's load: serves the model's versions again (after an unload), loading them now. */
    Future<JsonObject> loadModel(String name) {
        return change(() -> listing().compose(entries -> {
            if (entries.stream().noneMatch(entry -> entry.name().equals(name))) {
                return Future.failedFuture(new ClassifierFailure(Failure.NOT_FOUND, "the repository has no model \""
                        + name + "\""));
            }
            unloaded.remove(name);
            failures.keySet().removeIf(key -> key.name().equals(name));
            return sync(false, false).compose(done -> registry.snapshot().containsKey(name)
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
            unloaded.add(name);
            versions.keySet().forEach(version -> registry.remove(name, version));
            LOG.info("unloaded model {} on request", name);
            announce();
            return Future.succeededFuture(new JsonObject());
        });
    }

    /** The repository index: every version there is or is served, with its state and, if it failed, why. */
    Future<JsonObject> index() {
        return listing().map(entries -> {
            Map<Key, JsonObject> rows = new TreeMap<>((a, b) -> a.name().equals(b.name())
                    ? Long.compare(a.version(), b.version()) : a.name().compareTo(b.name()));
            for (Entry entry : entries) {
                Key key = new Key(entry.name(), entry.version());
                rows.put(key, row(key, Long.toString(entry.version()), null));
            }
            registry.snapshot().values().forEach(versions -> versions.values().forEach(served -> {
                Key key = new Key(served.name(), served.version());
                rows.put(key, row(key, served.label(), served.ready() ? READY : LOADING));
            }));
            return new JsonObject().put(ClassifierApi.MODELS, new JsonArray(new ArrayList<>(rows.values())));
        });
    }

    /** Stops polling and lets a running warm-up end (it reports back to this context, which is going away). */
    Future<Void> stop() {
        stopping = true;
        if (pollTimer != -1) {
            vertx.cancelTimer(pollTimer);
        }
        return Future.join(warmup, changes).transform(done -> loads.close());
    }

    private JsonObject row(Key key, String label, String servedState) {
        JsonObject row = new JsonObject().put(ClassifierApi.NAME, key.name()).put(ClassifierApi.VERSION, label);
        Failed failed = failures.get(key);
        if (servedState != null) {
            return row.put(ClassifierApi.STATE, servedState);
        }
        if (loading.contains(key)) {
            return row.put(ClassifierApi.STATE, LOADING);
        }
        if (failed != null) {
            return row.put(ClassifierApi.STATE, UNAVAILABLE).put(ClassifierApi.REASON, failed.reason());
        }
        return row.put(ClassifierApi.STATE, UNAVAILABLE).put(ClassifierApi.REASON, unloaded.contains(key.name())
                ? "unloaded" : "not chosen by the version policy");
    }

    /** Runs {@code step} after the change in progress, so two never interleave. */
    private <T> Future<T> change(java.util.function.Supplier<Future<T>> step) {
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

    private Future<List<Entry>> listing() {
        return loads.executeBlocking(repository::list, false);
    }

    /**
     * Brings the registry in line with the repository: loads the versions the policies choose that are not served
     * (or whose file changed), then drops served versions no longer chosen, once the model has a chosen one serving.
     */
    private Future<Void> sync(boolean first, boolean mustLoad) {
        return listing().compose(entries -> {
            Map<String, NavigableMap<Long, Entry>> byModel = new TreeMap<>();
            entries.forEach(entry -> byModel.computeIfAbsent(entry.name(), name -> new TreeMap<>())
                    .put(entry.version(), entry));
            Map<String, NavigableSet<Long>> chosen = new TreeMap<>();
            List<Entry> toLoad = new ArrayList<>();
            byModel.forEach((name, versions) -> {
                if (unloaded.contains(name)) {
                    return;
                }
                NavigableSet<Long> wanted = settings.repository().policyOf(name)
                        .select(new TreeSet<>(versions.keySet()));
                chosen.put(name, wanted);
                for (Long version : wanted) {
                    Entry entry = versions.get(version);
                    Optional<Served> served = registry.get(name, version);
                    Failed failed = failures.get(new Key(name, version));
                    boolean changed = served.isPresent() && entry.stamp() != null
                            && !entry.stamp().equals(served.get().stamp());
                    boolean failedAsIs = failed != null && Objects.equals(failed.stamp(), entry.stamp());
                    if ((served.isEmpty() || changed) && !failedAsIs) {
                        toLoad.add(entry);
                    }
                }
            });
            Future<Void> loaded = Future.succeededFuture();
            for (Entry entry : toLoad) {
                loaded = loaded.compose(done -> loadVersion(entry, first, mustLoad));
            }
            return loaded.map(done -> {
                dropUnchosen(chosen);
                serving();
                announce();
                return null;
            });
        });
    }

    /** Reads one version; a later version is warmed up before it serves, the first ones serve at once. */
    private Future<Void> loadVersion(Entry entry, boolean first, boolean mustLoad) {
        Key key = new Key(entry.name(), entry.version());
        loading.add(key);
        Future<Served> read = loads.executeBlocking(() -> repository.load(entry), false)
                .timeout(LOAD_DEADLINE_MS, TimeUnit.MILLISECONDS)
                .map(model -> new Served(entry.name(), entry.version(), repository.label(entry, model), model, false,
                        entry.stamp()));
        Future<Served> warm = first ? read : read.compose(served -> warmUp(served).map(done -> served.warm()));
        return warm.transform(outcome -> {
            loading.remove(key);
            if (outcome.succeeded()) {
                failures.remove(key);
                registry.put(outcome.result());
                Model model = outcome.result().model();
                LOG.info("serving model {} version {} ({} {})", entry.name(), outcome.result().label(),
                        model.metadata().name(), model.metadata().version());
                return Future.succeededFuture();
            }
            String reason = outcome.cause().getMessage() != null ? outcome.cause().getMessage()
                    : outcome.cause().toString();
            failures.put(key, new Failed(entry.stamp(), reason));
            LOG.warn("model {} version {} from {} did not load; what was serving keeps serving: {}", entry.name(),
                    entry.version(), entry.where(), reason);
            return mustLoad ? Future.failedFuture(outcome.cause()) : Future.succeededFuture();
        });
    }

    private void dropUnchosen(Map<String, NavigableSet<Long>> chosen) {
        registry.snapshot().forEach((name, versions) -> {
            NavigableSet<Long> wanted = chosen.getOrDefault(name, new TreeSet<>());
            boolean hasWanted = versions.keySet().stream().anyMatch(wanted::contains);
            // A model that is gone from the repository (or whose wanted versions all failed) keeps what it had.
            if (!hasWanted) {
                return;
            }
            versions.keySet().stream().filter(version -> !wanted.contains(version)).toList().forEach(version -> {
                registry.remove(name, version);
                LOG.info("model {} version {} no longer served (version policy)", name, version);
            });
        });
    }

    /** Points the model info metric at the default answer. */
    private void serving() {
        try {
            metrics.serving(registry.resolve(Optional.empty(), Optional.empty()).model());
        } catch (ClassifierFailure noDefault) {
            // no default model to point at: the metric keeps the last one
        }
    }

    /** Tells the gateways which model names there are, so they answer 404 for others before reading a body. */
    private void announce() {
        Set<String> names = Set.copyOf(registry.snapshot().keySet());
        if (!names.equals(published)) {
            published = names;
            vertx.eventBus().publish(ClassifierApi.MODELS_CHANGED, new JsonObject().put(ClassifierApi.MODELS,
                    new JsonArray(names.stream().sorted().collect(Collectors.toList()))));
        }
    }

    private Future<Void> warmUp(Served served) {
        return workers.executeBlocking(() -> {
            Warmup.run(classifier, served.model(), settings.warmupRuns(), () -> stopping);
            return null;
        }, false);
    }

    private void warmUpFirstVersions() {
        long start = System.nanoTime();
        List<Served> first = registry.snapshot().values().stream().flatMap(versions -> versions.values().stream())
                .toList();
        Future<?> all = Future.succeededFuture();
        for (Served served : first) {
            all = all.compose(done -> warmUp(served).onSuccess(warm -> {
                // Only if it still serves as it was: a reload may have replaced it meanwhile.
                if (registry.get(served.name(), served.version()).orElse(null) == served) {
                    registry.put(served.warm());
                }
            }));
        }
        warmup = all.onSuccess(done -> {
            if (stopping) {
                return;
            }
            warmedUp = true;
            LOG.info("warmed up {} model versions with {} runs each in {} ms, ready", first.size(),
                    settings.warmupRuns(), (System.nanoTime() - start) / 1_000_000);
        }).onFailure(failure -> LOG.error("warm-up failed; the classifier stays not ready", failure));
    }
}
