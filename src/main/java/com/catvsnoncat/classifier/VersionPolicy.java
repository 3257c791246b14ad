package com.catvsnoncat.classifier;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which versions of a model are served, as Triton's {@code version_policy}: the latest N ({@code {"latest": N}},
 * the default with N = 1), all of them ({@code {"all": true}}), or specific ones ({@code {"specific": [1, 3]}}).
 */
record VersionPolicy(int latest, boolean all, Set<Long> specific) {
    static final VersionPolicy LATEST_ONE = new VersionPolicy(1, false, Set.of());

    /** The versions to serve among those the repository has. */
    NavigableSet<Long> select(NavigableSet<Long> available) {
        if (all) {
            return new TreeSet<>(available);
        }
        TreeSet<Long> chosen = new TreeSet<>();
        if (!specific.isEmpty()) {
            available.stream().filter(specific::contains).forEach(chosen::add);
            return chosen;
        }
        for (Long version : available.descendingSet()) {
            if (chosen.size() == latest) {
                break;
            }
            chosen.add(version);
        }
        return chosen;
    }

    /** @throws IllegalArgumentException naming the key, for a policy that is not one of the three forms */
    static VersionPolicy from(String key, Object value) {
        if (value instanceof JsonObject policy && policy.size() == 1) {
            Object latest = policy.getValue("latest");
            Object specific = policy.getValue("specific");
            if (latest instanceof Integer count && count >= 1) {
                return new VersionPolicy(count, false, Set.of());
            }
            if (Boolean.TRUE.equals(policy.getValue("all"))) {
                return new VersionPolicy(0, true, Set.of());
            }
            if (specific instanceof JsonArray versions && !versions.isEmpty() && versions.stream()
                    .allMatch(version -> version instanceof Number number && number.longValue() >= 1
                            && (number instanceof Integer || number instanceof Long))) {
                List<Long> numbers = versions.stream().map(version -> ((Number) version).longValue()).toList();
                return new VersionPolicy(0, false, Set.copyOf(numbers));
            }
        }
        throw new IllegalArgumentException("classifier config: " + key + " must be {\"latest\": N} with N >= 1, "
                + "{\"all\": true} or {\"specific\": [versions >= 1]}, got " + value);
    }
}
