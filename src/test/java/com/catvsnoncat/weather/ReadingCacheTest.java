package com.catvsnoncat.weather;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReadingCacheTest {
    private static final City SEATTLE = new City("Seattle", 47.6062, -122.3321);
    private static final Reading RAIN = new Reading(9.0, 85, "Slight rain", "rain", "10d");

    private final AtomicLong nowMs = new AtomicLong(1_000);

    @Test
    void servesAReadingAsFreshUntilItsTtlHasPassed() {
        ReadingCache cache = new ReadingCache(300_000, nowMs::get);
        cache.put(SEATTLE, RAIN);

        nowMs.addAndGet(299_999);
        assertThat(cache.fresh(SEATTLE)).contains(RAIN);
        nowMs.addAndGet(1);
        assertThat(cache.fresh(SEATTLE)).isEmpty();
    }

    @Test
    void keepsTheLastReadingForFailuresAfterItIsNoLongerFresh() {
        ReadingCache cache = new ReadingCache(0, nowMs::get);
        cache.put(SEATTLE, RAIN);

        assertThat(cache.fresh(SEATTLE)).isEmpty();
        assertThat(cache.last(SEATTLE)).contains(RAIN);
        assertThat(cache.last(new City("Miami", 25.7617, -80.1918))).isEmpty();
    }
}
