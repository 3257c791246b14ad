package com.catvsnoncat.weather;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AsyncLimiterTest {
    private final List<Promise<String>> started = new ArrayList<>();

    private Future<String> task() {
        Promise<String> promise = Promise.promise();
        started.add(promise);
        return promise.future();
    }

    @Test
    void runsAtMostThePermittedNumberOfTasksAtOnce() {
        AsyncLimiter limiter = new AsyncLimiter(2);

        for (int i = 0; i < 5; i++) {
            limiter.submit(this::task);
        }

        assertThat(started).hasSize(2);
    }

    @Test
    void startsWaitingTasksInOrderAsRunningOnesFinish() {
        AsyncLimiter limiter = new AsyncLimiter(1);
        Future<String> first = limiter.submit(this::task);
        Future<String> second = limiter.submit(this::task);
        Future<String> third = limiter.submit(this::task);

        started.get(0).complete("a");
        assertThat(started).hasSize(2);
        started.get(1).fail("upstream down");
        assertThat(started).hasSize(3);
        started.get(2).complete("c");

        assertThat(first.result()).isEqualTo("a");
        assertThat(second.cause()).hasMessage("upstream down");
        assertThat(third.result()).isEqualTo("c");
    }

    @Test
    void aTaskThatThrowsFailsItsFutureAndFreesItsPermit() {
        AsyncLimiter limiter = new AsyncLimiter(1);

        Future<String> broken = limiter.submit(() -> {
            throw new IllegalStateException("bug");
        });
        limiter.submit(this::task);

        assertThat(broken.cause()).hasMessage("bug");
        assertThat(started).hasSize(1);
    }

    @Test
    void needsAtLeastOnePermit() {
        assertThatThrownBy(() -> new AsyncLimiter(0)).hasMessageContaining("permits must be >= 1");
    }
}
