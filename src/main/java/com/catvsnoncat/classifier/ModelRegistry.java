package com.catvsnoncat.classifier;

import com.catvsnoncat.bus.Failure;
import com.catvsnoncat.model.Model;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The model versions being served, by name and version. Readers take one {@link Served} per request, so a request is
 * answered by one version from start to end, even if that version is unloaded meanwhile. Changed only on the
 * classifier verticle's context ({@link ModelLifecycle} and the classes it drives), by replacing an immutable
 * snapshot, so readers on any thread never lock.
 */
final class ModelRegistry {
    /** One loaded version; {@code ready} once warmed up. {@code stamp} is its file's when it was read. */
    record Served(String name, long version, String label, Model model, boolean ready, Object stamp) {
        Served warm() {
            return new Served(name, version, label, model, true, stamp);
        }
    }

    private final String defaultModel;
    private final ModelStatistics statistics;
    private volatile Map<String, NavigableMap<Long, Served>> models = Map.of();

    /** @param statistics counts from when a version serves until it is removed */
    ModelRegistry(String defaultModel, ModelStatistics statistics) {
        this.defaultModel = defaultModel;
        this.statistics = statistics;
    }

    /**
     * The version a request asks for: by name (else the default model, else the only one) and version label (else
     * the highest ready version, else the highest loaded while the first ones warm up).
     *
     * @throws ClassifierFailure 404 naming what is not served
     */
    Served resolve(Optional<String> name, Optional<String> version) {
        Map<String, NavigableMap<Long, Served>> now = models;
        String model = name.orElseGet(() -> now.containsKey(defaultModel) || now.size() != 1 ? defaultModel
                : now.keySet().iterator().next());
        NavigableMap<Long, Served> versions = now.get(model);
        if (versions == null || versions.isEmpty()) {
            throw new ClassifierFailure(Failure.NOT_FOUND, "unknown model \"" + model + "\"; this server has "
                    + (now.isEmpty() ? "none loaded" : now.keySet().stream().sorted()
                    .map(known -> "\"" + known + "\"").collect(Collectors.joining(", "))));
        }
        if (version.isPresent()) {
            return versions.values().stream().filter(served -> served.label().equals(version.get())).findFirst()
                    .orElseThrow(() -> new ClassifierFailure(Failure.NOT_FOUND, "model \"" + model
                            + "\" has no version \"" + version.get() + "\"; loaded: " + versions.values().stream()
                            .map(Served::label).collect(Collectors.joining(", "))));
        }
        return versions.descendingMap().values().stream().filter(Served::ready).findFirst()
                .orElse(versions.lastEntry().getValue());
    }

    /** Every served version, by name then version. */
    Map<String, NavigableMap<Long, Served>> snapshot() {
        return models;
    }

    Optional<Served> get(String name, long version) {
        return Optional.ofNullable(models.getOrDefault(name, Collections.emptyNavigableMap()).get(version));
    }

    /** Serves {@code served} from now on, in place of what had its name and version. */
    void put(Served served) {
        Map<String, NavigableMap<Long, Served>> next = copy();
        Served replaced = next.computeIfAbsent(served.name(), name -> new TreeMap<>()).put(served.version(), served);
        publish(next);
        if (replaced != null && !replaced.label().equals(served.label())) {
            statistics.forget(replaced.name(), replaced.label());
        }
        statistics.track(served.name(), served.label());
    }

    void remove(String name, long version) {
        Map<String, NavigableMap<Long, Served>> next = copy();
        NavigableMap<Long, Served> versions = next.get(name);
        Served removed = versions == null ? null : versions.remove(version);
        if (versions != null && versions.isEmpty()) {
            next.remove(name);
        }
        publish(next);
        if (removed != null) {
            statistics.forget(name, removed.label());
        }
    }

    private Map<String, NavigableMap<Long, Served>> copy() {
        Map<String, NavigableMap<Long, Served>> copy = new TreeMap<>();
        models.forEach((name, versions) -> copy.put(name, new TreeMap<>(versions)));
        return copy;
    }

    private void publish(Map<String, NavigableMap<Long, Served>> next) {
        Map<String, NavigableMap<Long, Served>> frozen = new TreeMap<>();
        next.forEach((name, versions) -> frozen.put(name, Collections.unmodifiableNavigableMap(versions)));
        models = Collections.unmodifiableMap(frozen);
    }
}
