package com.catvsnoncat.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.BlockedThreads;
import com.catvsnoncat.data.MalformedImages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The malformed-picture corpus ({@link MalformedImages}, over 1,000 bodies) uploaded to the real application over
 * HTTP, a few at a time: no answer is a 500 (or any 5xx), the application still answers afterwards, and the heap
 * after a full collection is where it was before. Prints the answers by status and the heap figures. {@code make soak}
 * sends more corpora ({@code -Dcatvsnoncat.malformed.seeds}).
 */
@Timeout(180)
class MalformedUploadsTest {
    private static final int IN_FLIGHT = 8;
    private static final long HEAP_GROWTH_LIMIT_MIB = 64;
    /** Corpora of different seeds sent one after the other ({@code make soak} sends more). */
    private static final int SEEDS = Integer.getInteger("catvsnoncat.malformed.seeds", 1);

    @TempDir
    Path dir;
    private Vertx vertx;
    private WebClient client;

    @BeforeEach
    void start() {
        vertx = MetricsVertx.create(BlockedThreads.vertxOptions());
        client = WebClient.create(vertx);
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    @Test
    void answersEveryMalformedPictureWithAClientErrorOrAResultAndKeepsTheHeapFlat() {
        Application app = RunningApplication.startReady(vertx,
                ConfigLoader.defaults().mergeIn(ApplicationTestConfig.withModel(dir), true), client);
        List<MalformedImages.Sample> corpus = new ArrayList<>();
        for (int seed = 1; seed <= SEEDS; seed++) {
            corpus.addAll(MalformedImages.corpus(seed));
        }
        long heapBefore = RunningApplication.heapAfterGcMib();

        Map<Integer, Integer> byStatus = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> serverErrors = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<MalformedImages.Sample> queue = new ConcurrentLinkedQueue<>(corpus);
        List<Future<Void>> senders = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
            senders.add(sendAll(app.port(), queue, byStatus, serverErrors));
        }
        Future.all(senders).await();
        int live = client.get(app.port(), "127.0.0.1", "/health/live").send().await().statusCode();
        long heapAfter = RunningApplication.heapAfterGcMib();

        System.out.printf("malformed uploads: %d, answers by status: %s, heap after GC: %d MiB before, %d MiB after%n",
                corpus.size(), new TreeMap<>(byStatus), heapBefore, heapAfter);
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(1000);
        assertThat(serverErrors).isEmpty();
        assertThat(byStatus.keySet()).allSatisfy(status -> assertThat(status).isIn(200, 400, 413, 415, 422));
        assertThat(byStatus.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(corpus.size());
        assertThat(live).isEqualTo(200);
        assertThat(heapAfter - heapBefore).isLessThan(HEAP_GROWTH_LIMIT_MIB);
    }

    /** Sends the queued samples one after another until the queue is empty. */
    private Future<Void> sendAll(int port, ConcurrentLinkedQueue<MalformedImages.Sample> queue,
                                 Map<Integer, Integer> byStatus, ConcurrentLinkedQueue<String> serverErrors) {
        MalformedImages.Sample sample = queue.poll();
        if (sample == null) {
            return Future.succeededFuture();
        }
        return client.post(port, "127.0.0.1", "/api/classify").putHeader("Content-Type", sample.contentType())
                .sendBuffer(Buffer.buffer(sample.bytes()))
                .map(HttpResponse::statusCode)
                .otherwise(failure -> -1)
                .compose(status -> {
                    byStatus.merge(status, 1, Integer::sum);
                    if (status < 200 || status >= 500) {
                        serverErrors.add(sample.name() + " -> " + status);
                    }
                    return sendAll(port, queue, byStatus, serverErrors);
                });
    }
}
