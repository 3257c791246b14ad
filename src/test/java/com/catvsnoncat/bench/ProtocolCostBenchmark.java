package com.catvsnoncat.bench;

import com.catvsnoncat.bench.BenchmarkFixtures.BinaryRequest;
import com.catvsnoncat.bench.LoadGenerator.Request;
import com.catvsnoncat.bench.LoadGenerator.Result;
import com.catvsnoncat.grpc.v2.ModelInferRequest;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one single-picture inference costs over REST (binary extension) and over gRPC (raw_input_contents), in CPU
 * time of the server process and of this load-generating process apart ({@code make bench-grpc}): the pixel model,
 * batching off, the production settings, as bench-serve's batching scenarios. With {@code --base OTHER.jar}, a server
 * of each jar runs at once and the rounds alternate between them, so both see the same machine load: on a shared
 * machine, CPU time per request moves much less with the others' load than requests/s, and a ratio measured side by
 * side less still.
 *
 * <pre>
 * ProtocolCostBenchmark JAR DATASET [--base JAR] [--rounds N] [--connections 1,8,32] [--duration S] [--warmup S]
 *                       [--port P]
 * </pre>
 * {@code --port P}: the servers listen on P and P+1 (default: any free ports).
 */
public final class ProtocolCostBenchmark {
    private static final String MODEL = "catvnoncat-pixels";

    /** One measured window: requests/s, p50 ms, and CPU ms per answered request of the server and of this process. */
    private record Row(double perSecond, double p50, double serverMs, double clientMs) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ProtocolCostBenchmark JAR DATASET [--base JAR] [--rounds N] "
                    + "[--connections 1,8,32] [--duration S] [--warmup S] [--port P]");
            System.exit(2);
        }
        List<Path> jars = new ArrayList<>();
        int rounds = 3;
        int[] connections = {1, 8, 32};
        long durationMs = 4000;
        long warmupMs = 2000;
        int port = 0;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--base" -> jars.add(Path.of(args[++i]));
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Arrays.stream(args[++i].split(","))
                        .mapToInt(Integer::parseInt).toArray();
                case "--duration" -> durationMs = (long) (Double.parseDouble(args[++i]) * 1000);
                case "--warmup" -> warmupMs = (long) (Double.parseDouble(args[++i]) * 1000);
                case "--port" -> port = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        jars.add(Path.of(args[0]));
        new ProtocolCostBenchmark(jars, Path.of(args[1]), rounds, connections, durationMs, warmupMs, port).run();
        System.exit(0);
    }

    private final List<Path> jars;
    private final int rounds;
    private final int[] connections;
    private final long durationMs;
    private final long warmupMs;
    private final int port;
    private final Request rest;
    private final ModelInferRequest call;
    private final Map<String, List<Row>> rows = new LinkedHashMap<>();

    private ProtocolCostBenchmark(List<Path> jars, Path dataset, int rounds, int[] connections, long durationMs,
                                  long warmupMs, int port) throws IOException {
        this.jars = jars;
        this.rounds = rounds;
        this.connections = connections;
        this.durationMs = durationMs;
        this.warmupMs = warmupMs;
        this.port = port;
        byte[] picture = BenchmarkFixtures.firstPicture(dataset);
        BinaryRequest binary = BenchmarkFixtures.binaryInferRequest(picture, 1);
        this.rest = Request.post("/v2/models/" + MODEL + "/infer", "application/octet-stream", binary.body())
                .with("Inference-Header-Content-Length", Integer.toString(binary.headerLength()));
        this.call = BenchmarkFixtures.grpcInferRequest(picture).toBuilder().setModelName(MODEL).build();
    }

    private void run() throws Exception {
        String loadBefore = ServeBenchmark.loadAverage();
        Map<String, String> settings = ServeBenchmark.productionSettings();
        settings.put("classifier.batching.pixel.maxBatch", "1");
        settings.put("classifier.batching.pixel.maxQueueDelayMicros", "0");
        List<String> jvm = List.of(ServeBenchmark.DEFAULT_JVM.split(" "));
        List<Side> sides = new ArrayList<>();
        try {
            for (int j = 0; j < jars.size(); j++) {
                Path log = Path.of("target", "bench-grpc", "server-" + j + ".log");
                ServerProcess server = port == 0 ? ServerProcess.start(jars.get(j), jvm, settings, log)
                        : ServerProcess.start(jars.get(j), jvm, settings, log, port + j);
                sides.add(new Side(jars.get(j), server));
            }
            // Both paths of every server warmed before any is measured: the JIT, the connections.
            for (Side side : sides) {
                side.load.closedLoop(i -> rest, 8, 0, 5 * warmupMs).await();
                side.grpc.closedLoop(call, 8, 0, 5 * warmupMs).await();
            }
            for (int round = 1; round <= rounds; round++) {
                log("round " + round + " of " + rounds + " (load " + ServeBenchmark.loadAverage() + ")");
                // The order turns each round, so that neither server is always the one measured first.
                List<Side> order = new ArrayList<>(sides);
                java.util.Collections.rotate(order, round);
                for (int c : connections) {
                    for (Side side : order) {
                        measure(side, "REST", c, () -> side.load.closedLoop(i -> rest, c, warmupMs, durationMs));
                        measure(side, "gRPC", c, () -> side.grpc.closedLoop(call, c, warmupMs, durationMs));
                    }
                }
            }
        } finally {
            for (Side side : sides) {
                side.close();
            }
        }
        print(loadBefore, ServeBenchmark.loadAverage());
    }

    /** A server and its two load generators. */
    private static final class Side implements AutoCloseable {
        final Path jar;
        final ServerProcess server;
        final LoadGenerator load;
        final GrpcLoadGenerator grpc;

        Side(Path jar, ServerProcess server) {
            this.jar = jar;
            this.server = server;
            this.load = new LoadGenerator(server.port());
            this.grpc = new GrpcLoadGenerator(server.port());
        }

        @Override
        public void close() throws InterruptedException {
            load.close();
            grpc.close();
            server.close();
        }
    }

    private void measure(Side side, String protocol, int connections, Supplier<Future<Result>> start)
            throws Exception {
        Future<Result> running = start.get();
        Thread.sleep(warmupMs);
        double serverBefore = side.server.cpuSeconds();
        double clientBefore = ownCpuSeconds();
        Thread.sleep(durationMs);
        double serverAfter = side.server.cpuSeconds();
        double clientAfter = ownCpuSeconds();
        Result result = running.await();
        long answered = result.completed() + result.errors();
        Row row = new Row(result.perSecond(), result.percentileMs(50), (serverAfter - serverBefore) * 1000 / answered,
                (clientAfter - clientBefore) * 1000 / answered);
        rows.computeIfAbsent(side.jar + "|" + protocol + "|" + connections, key -> new ArrayList<>()).add(row);
        log(String.format(Locale.ROOT, "  %s %s [%d]: %.0f/s, p50 %.2f ms, server %.3f, client %.3f CPU ms/req%s",
                side.jar.getFileName(), protocol, connections, row.perSecond(), row.p50(), row.serverMs(),
                row.clientMs(), result.errors() == 0 ? "" : ", errors " + result.errorsByStatus()));
    }

    private void print(String loadBefore, String loadAfter) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%nOne UINT8 64x64 picture per request, %s, "
                + "batching off; median of %d round(s), %.0f s measured each; load average before %s, after %s%n%n",
                MODEL, rounds, durationMs / 1000.0, loadBefore, loadAfter));
        out.append("| jar | protocol | conn. | requests/s | p50 ms | server CPU ms/request | client CPU ms/request |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|\n");
        rows.forEach((key, list) -> {
            String[] parts = key.split("\\|");
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %.2f | %.3f | %.3f |%n",
                    Path.of(parts[0]).getFileName(), parts[1], parts[2], median(list, Row::perSecond),
                    median(list, Row::p50), median(list, Row::serverMs), median(list, Row::clientMs)));
        });
        System.out.print(out);
    }

    private static double median(List<Row> rows, java.util.function.ToDoubleFunction<Row> of) {
        double[] sorted = rows.stream().mapToDouble(of).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** User plus system CPU time of this process (the load generators), from /proc. */
    private static double ownCpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / ServerProcess.clockTicksPerSecond();
    }

    private static void log(String line) {
        System.err.println(line);
    }
}
