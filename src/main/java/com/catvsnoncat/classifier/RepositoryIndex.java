package com.catvsnoncat.classifier;

import com.catvsnoncat.classifier.ModelRegistry.Served;
import com.catvsnoncat.classifier.ModelRepository.Entry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the repository index tells about versions that do not simply serve: which are loading, which failed and why
 * (tried again only once their file changes), which models were unloaded on request. Renders the index rows with
 * Triton's state names. Used on the classifier verticle's context only.
 */
final class RepositoryIndex {
    static final String READY = ClassifierApi.STATE_READY;
    static final String LOADING = "LOADING";
    static final String UNAVAILABLE = "UNAVAILABLE";

    private record Key(String name, long version) {
    }

    /** Why a version did not load, and the file's stamp then. */
    private record Failed(Object stamp, String reason) {
    }

    private final Map<Key, Failed> failures = new HashMap<>();
    private final Set<Key> loading = new HashSet<>();
    /** Models unloaded on request: not loaded again until a load request. */
    private final Set<String> unloaded = new HashSet<>();

    void loading(Entry entry) {
        loading.add(key(entry));
    }

    void loaded(Entry entry) {
        loading.remove(key(entry));
        failures.remove(key(entry));
    }

    void failed(Entry entry, String reason) {
        loading.remove(key(entry));
        failures.put(key(entry), new Failed(entry.stamp(), reason));
    }

    /** True if the version failed to load from the file as it is now: loading it again would fail again. */
    boolean failedAsIs(Entry entry) {
        Failed failed = failures.get(key(entry));
        return failed != null && Objects.equals(failed.stamp(), entry.stamp());
    }

    void unloaded(String name) {
        unloaded.add(name);
    }

    boolean isUnloaded(String name) {
        return unloaded.contains(name);
    }

    /** A load request: the model's versions are loaded again, even those that failed as they are. */
    void loadRequested(String name) {
        unloaded.remove(name);
        failures.keySet().removeIf(key -> key.name().equals(name));
    }

    /** Every version there is or is served, by name then version, with its state and, if it failed, why. */
    JsonObject rows(List<Entry> entries, Map<String, NavigableMap<Long, Served>> served) {
        Map<Key, JsonObject> rows = new TreeMap<>((a, b) -> a.name().equals(b.name())
                ? Long.compare(a.version(), b.version()) : a.name().compareTo(b.name()));
        for (Entry entry : entries) {
            rows.put(key(entry), row(key(entry), Long.toString(entry.version())));
        }
        served.values().forEach(versions -> versions.values().forEach(version -> rows.put(
                new Key(version.name(), version.version()), new JsonObject().put(ClassifierApi.NAME, version.name())
                        .put(ClassifierApi.VERSION, version.label())
                        .put(ClassifierApi.STATE, version.ready() ? READY : LOADING))));
        return new JsonObject().put(ClassifierApi.MODELS, new JsonArray(new ArrayList<>(rows.values())));
    }

    private JsonObject row(Key key, String label) {
        JsonObject row = new JsonObject().put(ClassifierApi.NAME, key.name()).put(ClassifierApi.VERSION, label);
        if (loading.contains(key)) {
            return row.put(ClassifierApi.STATE, LOADING);
        }
        Failed failed = failures.get(key);
        if (failed != null) {
            return row.put(ClassifierApi.STATE, UNAVAILABLE).put(ClassifierApi.REASON, failed.reason());
        }
        return row.put(ClassifierApi.STATE, UNAVAILABLE).put(ClassifierApi.REASON, unloaded.contains(key.name())
                ? "unloaded" : "not chosen by the version policy");
    }

    private static Key key(Entry entry) {
        return new Key(entry.name(), entry.version());
    }
}
