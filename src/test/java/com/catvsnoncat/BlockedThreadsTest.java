package com.catvsnoncat;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The guard itself: an event loop blocked for longer than the test limit is reported. */
@ExtendWith(VertxExtension.class)
class BlockedThreadsTest {

    @Test
    void anEventLoopBlockedForLongerThanTheLimitIsReported(Vertx vertx) {
        Promise<Void> unblocked = Promise.promise();
        vertx.runOnContext(v -> {
            long limit = Math.max(BlockedThreads.MAX_EVENT_LOOP_MS, BlockedThreads.limitNowMs());
            long end = System.nanoTime() + (limit + 500) * 1_000_000;
            while (System.nanoTime() < end) {
                Thread.onSpinWait(); // the very thing the guard must catch
            }
            unblocked.complete();
        });
        unblocked.future().await();
        // The checker reports while the thread is blocked; one more check interval lets a last report land.
        vertx.timer(200).await();

        // Drained here, so the guard does not fail this test.
        assertThat(BlockedThreads.drain()).isNotEmpty()
                .allSatisfy(warning -> assertThat(warning).contains("has been blocked for"));
    }
}
