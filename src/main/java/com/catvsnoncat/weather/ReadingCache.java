package com.catvsnoncat.weather;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The last good reading of each city. Fresh (younger than the TTL) readings are served without an upstream call;
 * older ones only stand in, marked stale, when the upstream fails. Holds one entry per configured city, so it needs
 * no eviction. Not thread-safe: used from the verticle's event loop only.
 */
final class ReadingCache {
    private record Entry(Reading reading, long storedAtMs) {
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private final long ttlMs;
    private final LongSupplier clockMs;

    ReadingCache(long ttlMs, LongSupplier clockMs) {
        this.ttlMs = ttlMs;
        this.clockMs = clockMs;
    }

    void put(City city, Reading reading) {
        entries.put(city.name(), new Entry(reading, clockMs.getAsLong()));
    }

    Optional<Reading> fresh(City city) {
        Entry entry = entries.get(city.name());
        return entry != null && clockMs.getAsLong() - entry.storedAtMs() < ttlMs
                ? Optional.of(entry.reading()) : Optional.empty();
    }

    Optional<Reading> last(City city) {
        return Optional.ofNullable(entries.get(city.name())).map(Entry::reading);
    }
}
