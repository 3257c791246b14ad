package com.catvsnoncat;

import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes a blocked Vert.x thread fail the tests: every "Thread ... has been blocked" warning of Vert.x's
 * BlockedThreadChecker (caught by {@link BlockedThreadAppender}) fails the test during which it was logged, or the
 * next one to finish. Registered for every test class through JUnit's extension auto-detection
 * (META-INF/services and junit-platform.properties).
 *
 * <p>Tests warn at {@link #MAX_EVENT_LOOP_MS} (500 ms on a machine that is not oversubscribed) instead of Vert.x's
 * 2 s: the Vert.x instances of vertx-junit5
 * read {@link #vertxOptions()} from the file this class names in {@code vertx.parameter.filename}, and tests that
 * build their own Vert.x pass the same options.
 */
public final class BlockedThreads implements AfterEachCallback, AfterAllCallback {
    /**
     * An event-loop task longer than this is reported: 500 ms, times the CPU oversubscription of the machine when
     * the tests start (see {@link #oversubscription()}).
     */
    public static final long MAX_EVENT_LOOP_MS = 500 * oversubscription(true);
    private static final long CHECK_INTERVAL_MS = 100;
    private static final String VERTX_OPTIONS_FILE = "vertx.parameter.filename";
    private static final List<String> WARNINGS = new ArrayList<>();

    static {
        if (System.getProperty(VERTX_OPTIONS_FILE) == null) {
            try {
                Path file = Files.createTempFile("vertx-test-options", ".json");
                file.toFile().deleteOnExit();
                Files.writeString(file, vertxOptions().toJson().encode(), StandardCharsets.UTF_8);
                System.setProperty(VERTX_OPTIONS_FILE, file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Vert.x options for tests: blocked event loops are reported after {@link #MAX_EVENT_LOOP_MS} ms. */
    public static VertxOptions vertxOptions() {
        return new VertxOptions()
                .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MS).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                // With a stack trace from the first warning on, so the report says where the thread was stuck.
                .setWarningExceptionTime(MAX_EVENT_LOOP_MS).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS)
                .setBlockedThreadCheckInterval(CHECK_INTERVAL_MS)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS);
    }

    /**
     * The 1-minute load average over the cores, rounded up, at least 1. On a shared machine with more runnable threads
     * than cores, a task's wall time stretches by about that factor while its CPU time does not: at a load of 16 on
     * 2 cores, event loops idle in epoll were reported "blocked" for 500 ms. A quiet machine (CI) keeps 500 ms.
     */
    private static long oversubscription(boolean report) {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        int cores = Runtime.getRuntime().availableProcessors();
        long factor = load <= cores ? 1 : (long) Math.ceil(load / cores);
        if (report && factor > 1) {
            System.err.printf("BlockedThreads: load average %.1f on %d cores, event loops reported after %d ms%n",
                    load, cores, 500 * factor);
        }
        return factor;
    }

    /**
     * Whether a thread blocked this long is within what the machine's oversubscription now explains: the limit was
     * set from the load when the tests started, and other work on a shared machine may have raised it since.
     */
    static boolean explainedByLoadNow(long blockedMs) {
        return blockedMs < limitNowMs();
    }

    /** What {@link #MAX_EVENT_LOOP_MS} would be if the tests started now. */
    static long limitNowMs() {
        return 500 * oversubscription(false);
    }

    static synchronized void warned(String message) {
        WARNINGS.add(message);
    }

    /** The warnings logged since the last check, cleared. */
    static synchronized List<String> drain() {
        List<String> warnings = List.copyOf(WARNINGS);
        WARNINGS.clear();
        return warnings;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        failOnWarnings();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        failOnWarnings();
    }

    private static void failOnWarnings() {
        List<String> warnings = drain();
        if (!warnings.isEmpty()) {
            throw new AssertionError("a Vert.x thread was blocked: " + String.join("; ", warnings));
        }
    }
}
