package com.catvsnoncat.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.lang.management.ManagementFactory;

/** Helpers for the tests that put the real application under hostile or heavy traffic. */
final class RunningApplication {
    private static final long READY_DEADLINE_MS = 30_000;
    private static final int GC_ROUNDS = 3;

    private RunningApplication() {
    }

    /** Starts the application with {@code config} and waits until readiness says 200. */
    static Application startReady(Vertx vertx, JsonObject config, WebClient client) {
        Application app = Application.start(vertx, config).await();
        long deadline = System.currentTimeMillis() + READY_DEADLINE_MS;
        while (client.get(app.port(), "127.0.0.1", "/health/ready").send().await().statusCode() != 200) {
            assertThat(System.currentTimeMillis()).as("ready in time").isLessThan(deadline);
            vertx.timer(20).await();
        }
        return app;
    }

    /** Heap in use after asking for full collections, in MiB: the live data, give or take the collector. */
    static long heapAfterGcMib() {
        for (int i = 0; i < GC_ROUNDS; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }
}
