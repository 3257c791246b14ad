package com.catvsnoncat.bench;

import com.catvsnoncat.testing.ServedPort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The service under test, as a separate process started from its jar: how long it took to become ready, and its
 * CPU time and resident memory from /proc (Linux), so the load generator's own work is never counted. Its
 * environment has {@code MALLOC_ARENA_MAX=2} as the container image's does, so the resident memory compares.
 */
final class ServerProcess implements AutoCloseable {
    private static final long READY_TIMEOUT_MS = 60_000;
    private static final long POLL_MS = 5;
    private static final long STOP_TIMEOUT_S = 30;
    /** As in the image (pom.xml, jib): glibc's malloc arenas, otherwise up to 8 per core. */
    static final String MALLOC_ARENA_MAX = "2";

    private final Process process;
    private final int port;
    private final long readyMillis;
    private final double ticksPerSecond;

    private ServerProcess(Process process, int port, long readyMillis, double ticksPerSecond) {
        this.process = process;
        this.port = port;
        this.readyMillis = readyMillis;
        this.ticksPerSecond = ticksPerSecond;
    }

    /**
     * Starts {@code java <jvmOptions> -Dcatvsnoncat.<key>=<value>... -jar jar serve --port P} with
     * {@code MALLOC_ARENA_MAX=2} and waits for /health/ready to answer 200; its output goes to {@code log}.
     */
    static ServerProcess start(Path jar, List<String> jvmOptions, Map<String, String> settings, Path log)
            throws IOException, InterruptedException {
        return start(jar, jvmOptions, settings, log, 0);
    }

    /** As {@link #start(Path, List, Map, Path)}, listening on {@code port} (0: one the kernel picks). */
    static ServerProcess start(Path jar, List<String> jvmOptions, Map<String, String> settings, Path log, int port)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        settings.forEach((key, value) -> command.add("-Dcatvsnoncat." + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString(), "serve", "--port", Integer.toString(port)));
        Files.createDirectories(log.toAbsolutePath().getParent());
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("MALLOC_ARENA_MAX", MALLOC_ARENA_MAX);
        Process process = builder.start();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
        try {
            int listening = port != 0 ? port : ServedPort.await(process, log, deadline);
            long readyMillis = awaitReady(process, listening, start, deadline, log);
            return new ServerProcess(process, listening, readyMillis, clockTicksPerSecond());
        } catch (IOException | RuntimeException | InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** From the process start to the first 200 from /health/ready. */
    long readyMillis() {
        return readyMillis;
    }

    /** User plus system CPU time of the whole process so far. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces; utime and stime are the
            // 14th and 15th fields of the line, so the 12th and 13th after the name.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / ticksPerSecond;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the server's CPU time (Linux /proc needed)", e);
        }
    }

    /**
     * User plus system CPU time so far of the process's threads, summed by kind: the thread's name (as /proc gives
     * it, 15 characters at most) without its trailing number, e.g. "vert.x-eventloo", "C2 CompilerThre", "VM Thread".
     * Threads that ended since are not counted.
     */
    Map<String, Double> cpuSecondsByThreadKind() {
        Map<String, Double> byKind = new TreeMap<>();
        Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : threads.toList()) {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                double seconds = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / ticksPerSecond;
                byKind.merge(name.replaceAll("[-#0-9]+$", ""), seconds, Double::sum);
            }
            return byKind;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the server's threads (Linux /proc needed)", e);
        }
    }

    /** Resident set size now, in MiB. */
    double rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
            return Double.NaN;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the server's memory (Linux /proc needed)", e);
        }
    }

    /** SIGTERM (graceful drain), then kill if it does not end. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT_S, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static long awaitReady(Process process, int port, long startNanos, long deadline, Path log)
            throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
                }
            } catch (IOException notListeningYet) {
                // Connection refused until the gateway listens.
            }
            Thread.sleep(POLL_MS);
        }
        throw new IllegalStateException("the server was not ready within " + READY_TIMEOUT_MS + " ms; see " + log);
    }

    /** USER_HZ, the unit of /proc/pid/stat times: 100 on every usual Linux, asked from getconf when available. */
    static double clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
            String text = new String(getconf.getInputStream().readAllBytes()).trim();
            return getconf.waitFor() == 0 ? Double.parseDouble(text) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
