package com.catvsnoncat.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.BlockedThreads;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real application on loopback, driven at and far beyond saturation by a load generator on its own Vert.x
 * instance: {@value #CONNECTIONS} connections each sending classification after classification, against a classifier
 * that takes {@value #WORKERS} + {@value #QUEUED} at a time. Every answer must be 200 or 503 with Retry-After,
 * nothing else (no 5xx of any other kind, no reset), no event loop blocked, and the heap after a full collection
 * where it was before. Prints the figures. {@code make soak} runs it longer
 * ({@code -Dcatvsnoncat.load.requests}).
 */
@Timeout(600)
class OverloadTest {
    private static final int WORKERS = 2;
    private static final int QUEUED = 2;
    private static final int CONNECTIONS = 64;
    private static final int REQUESTS = Integer.getInteger("catvsnoncat.load.requests", 4000);
    private static final long HEAP_GROWTH_LIMIT_MIB = 64;

    @TempDir
    Path dir;
    private Vertx server;
    private Vertx generator;

    @BeforeEach
    void start() {
        server = MetricsVertx.create(BlockedThreads.vertxOptions());
        generator = Vertx.vertx(BlockedThreads.vertxOptions());
    }

    @AfterEach
    void stop() {
        generator.close().await();
        server.close().await();
    }

    @Test
    void answersOnly200Or503WithRetryAfterBeyondSaturationAndKeepsTheHeapFlat() throws Exception {
        JsonObject config = ConfigLoader.defaults().mergeIn(ApplicationTestConfig.withModel(dir), true);
        config.getJsonObject("classifier").put("workers", WORKERS).put("maxQueued", QUEUED);
        Application app = RunningApplication.startReady(server, config, WebClient.create(server));
        WebClient client = WebClient.create(generator, new WebClientOptions(),
                new PoolOptions().setHttp1MaxSize(CONNECTIONS));
        Buffer picture = Buffer.buffer(ApplicationTestConfig.png());
        long heapBefore = RunningApplication.heapAfterGcMib();

        Map<String, Integer> answers = new ConcurrentHashMap<>();
        AtomicInteger remaining = new AtomicInteger(REQUESTS);
        long start = System.nanoTime();
        List<Future<Void>> connections = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            connections.add(keepSending(client, app.port(), picture, remaining, answers));
        }
        Future.all(connections).await();
        double seconds = (System.nanoTime() - start) / 1e9;
        long heapAfter = RunningApplication.heapAfterGcMib();

        System.out.printf("load: %d requests over %d connections in %.1f s (%.0f/s), answers: %s, "
                        + "heap after GC: %d MiB before, %d MiB after%n", REQUESTS, CONNECTIONS, seconds,
                REQUESTS / seconds, new TreeMap<>(answers), heapBefore, heapAfter);
        assertThat(answers.keySet()).containsOnly("200", "503");
        assertThat(answers.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(REQUESTS);
        assertThat(heapAfter - heapBefore).isLessThan(HEAP_GROWTH_LIMIT_MIB);
    }

    /** One connection's loop: send, count the answer, send again until no requests remain. */
    private static Future<Void> keepSending(WebClient client, int port, Buffer picture, AtomicInteger remaining,
                                            Map<String, Integer> answers) {
        if (remaining.getAndDecrement() <= 0) {
            return Future.succeededFuture();
        }
        return client.post(port, "127.0.0.1", "/api/classify").putHeader("Content-Type", "image/png")
                .sendBuffer(picture)
                .map(OverloadTest::outcome)
                .otherwise(failure -> "failed: " + failure.getClass().getSimpleName())
                .compose(outcome -> {
                    answers.merge(outcome, 1, Integer::sum);
                    return keepSending(client, port, picture, remaining, answers);
                });
    }

    /** The status, or a note when a 503 lacks its Retry-After. */
    private static String outcome(HttpResponse<Buffer> response) {
        if (response.statusCode() == 503 && response.getHeader("Retry-After") == null) {
            return "503 without Retry-After";
        }
        return Integer.toString(response.statusCode());
    }
}
