package com.catvsnoncat.classifier;

import com.catvsnoncat.classifier.ModelRegistry.Served;
import com.catvsnoncat.classifier.ModelRepository.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one repository sync does: the versions each model's {@link VersionPolicy} chooses among those listed (models
 * unloaded on request take no part), and those of them to read now: not served, or served from a file that has
 * changed since, unless they failed to load from the file as it is.
 */
record VersionPlan(Map<String, NavigableSet<Long>> chosen, List<Entry> toLoad) {

    static VersionPlan of(List<Entry> entries, ClassifierConfig.Repository settings, ModelRegistry registry,
                          RepositoryIndex index) {
        Map<String, NavigableMap<Long, Entry>> byModel = new TreeMap<>();
        entries.forEach(entry -> byModel.computeIfAbsent(entry.name(), name -> new TreeMap<>())
                .put(entry.version(), entry));
        Map<String, NavigableSet<Long>> chosen = new TreeMap<>();
        List<Entry> toLoad = new ArrayList<>();
        byModel.forEach((name, versions) -> {
            if (index.isUnloaded(name)) {
                return;
            }
            NavigableSet<Long> wanted = settings.policyOf(name).select(new TreeSet<>(versions.keySet()));
            chosen.put(name, wanted);
            for (Long version : wanted) {
                Entry entry = versions.get(version);
                Optional<Served> served = registry.get(name, version);
                boolean changed = served.isPresent() && entry.stamp() != null
                        && !entry.stamp().equals(served.get().stamp());
                if ((served.isEmpty() || changed) && !index.failedAsIs(entry)) {
                    toLoad.add(entry);
                }
            }
        });
        return new VersionPlan(chosen, toLoad);
    }

    /** True if the model serves at least one version the policy wants, so the others may go. */
    boolean servesAChosenVersion(String name, NavigableMap<Long, Served> served) {
        NavigableSet<Long> wanted = chosen.getOrDefault(name, new TreeSet<>());
        return served.keySet().stream().anyMatch(wanted::contains);
    }

    /** The served versions the policy no longer wants. */
    List<Long> unchosen(String name, NavigableMap<Long, Served> served) {
        NavigableSet<Long> wanted = chosen.getOrDefault(name, new TreeSet<>());
        return served.keySet().stream().filter(version -> !wanted.contains(version)).toList();
    }
}
