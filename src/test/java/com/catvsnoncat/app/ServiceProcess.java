package com.catvsnoncat.app;

import com.catvsnoncat.cli.Main;
import com.catvsnoncat.testing.ServedPort;
import com.sun.tools.attach.VirtualMachine;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The service as its own JVM with the container image's memory settings ({@link #IMAGE_FLAGS}), started from this
 * build's classes; its heap is read through the JVM's own MemoryMXBean over the attach API's local JMX agent, so a
 * full collection can be asked for before reading it (what is left is what the process really holds).
 */
final class ServiceProcess implements AutoCloseable {
    /** As in the image (pom.xml, jib): a 128 MiB heap, the serial collector, and exit at the first OutOfMemoryError. */
    static final List<String> IMAGE_FLAGS = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");
    private static final long READY_TIMEOUT_MS = 90_000;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private JMXConnector jmx;
    private MemoryMXBean memory;
    private List<MemoryPoolMXBean> heapPools;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code serve} with {@code -Dcatvsnoncat.<key>=<value>} settings and waits until it is ready. */
    static ServiceProcess start(Map<String, String> settings, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(IMAGE_FLAGS);
        command.addAll(List.of("-cp", applicationClassPath()));
        settings.forEach((key, value) -> command.add("-Dcatvsnoncat." + key + "=" + value));
        command.addAll(List.of(Main.class.getName(), "serve", "--port", "0"));
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
        try {
            ServiceProcess service = new ServiceProcess(process, ServedPort.await(process, log, deadline), log);
            service.awaitReady(deadline);
            return service;
        } catch (IOException | RuntimeException | InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** This test run's class path without the test classes: the application's classes and dependencies. */
    static String applicationClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().equals("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The process's output so far, for a failure message. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    int status(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    String get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    HttpResponse<String> post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Heap in use after a full collection the JVM was asked for, in bytes: each heap pool's usage as the collector
     * left it ({@link MemoryPoolMXBean#getCollectionUsage()}), not its usage a moment later, which counts the
     * thread-local allocation buffers handed out since (several MiB once a thread has allocated a lot).
     */
    long heapAfterGc() throws IOException {
        if (memory == null) {
            try {
                VirtualMachine vm = VirtualMachine.attach(Long.toString(process.pid()));
                String address = vm.startLocalManagementAgent();
                vm.detach();
                jmx = JMXConnectorFactory.connect(new JMXServiceURL(address));
            } catch (com.sun.tools.attach.AttachNotSupportedException e) {
                throw new IOException("cannot attach to the service's JVM", e);
            }
            memory = ManagementFactory.newPlatformMXBeanProxy(jmx.getMBeanServerConnection(),
                    ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
            heapPools = ManagementFactory.getPlatformMXBeans(jmx.getMBeanServerConnection(), MemoryPoolMXBean.class)
                    .stream().filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        }
        memory.gc();
        return heapPools.stream().mapToLong(pool -> pool.getCollectionUsage().getUsed()).sum();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (jmx != null) {
            jmx.close();
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private void awaitReady(long deadline) throws IOException, InterruptedException {
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                if (status("/health/ready") == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // Not answering yet: the request timed out or the connection was cut.
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the service was not ready within " + READY_TIMEOUT_MS + " ms:\n" + logTail());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
