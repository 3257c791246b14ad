package com.catvsnoncat.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference training (12288,20,7,5,1, 2500 iterations, seed 1) as a user runs it, beside the numpy peer, in the
 * same session with rounds alternating so both see the same machine load: each side's whole process (start to
 * exit, as a user waits for it) and its own training-loop figure. numpy runs without the {@code OPENBLAS_CORETYPE}
 * and {@code OPENBLAS_L2_SIZE} this machine sets, which slow today's numpy; only its command is changed so.
 *
 * <p>Usage: {@code TrainingBenchmark <jar> <peer.py> <data dir> [rounds]}; {@code make bench} runs it.
 */
public final class TrainingBenchmark {
    private static final Pattern TRAINED = Pattern.compile("trained (\\d+) iterations in ([0-9.]+) s");
    private static final List<String> OPENBLAS_OVERRIDES = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");

    /** One process's wall time from start to exit and the training time it reported itself. */
    private record Timing(double wholeSeconds, double loopSeconds) {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path peer = Path.of(args[1]);
        Path data = Path.of(args[2]);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Path output = Files.createTempDirectory("catvsnoncat-bench").resolve("reference.npz");
        List<String> numpy = List.of("python3", peer.toString(), "--data", data.resolve("catvnoncat.npz").toString());
        List<String> ours = List.of("java", "-jar", jar.toString(), "train",
                "--data", data.resolve("train_catvnoncat.h5").toString(),
                "--test", data.resolve("test_catvnoncat.h5").toString(), "--output", output.toString());
        System.out.println("numpy:       env " + OPENBLAS_OVERRIDES.stream().map(name -> "-u " + name)
                .reduce((a, b) -> a + " " + b).orElseThrow() + " " + String.join(" ", numpy));
        System.out.println("catvsnoncat: " + String.join(" ", ours));
        System.out.println("load before: " + load());

        List<Timing> numpyRuns = new ArrayList<>();
        List<Timing> ourRuns = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            numpyRuns.add(numpy(numpy));
            ourRuns.add(ours(ours));
            System.out.printf(Locale.ROOT, "round %d: numpy %.2f s (loop %.2f s), catvsnoncat %.2f s (loop %.2f s);"
                    + " load %s%n", round, last(numpyRuns).wholeSeconds, last(numpyRuns).loopSeconds,
                    last(ourRuns).wholeSeconds, last(ourRuns).loopSeconds, load());
        }
        double numpyWhole = median(numpyRuns.stream().mapToDouble(Timing::wholeSeconds).toArray());
        double oursWhole = median(ourRuns.stream().mapToDouble(Timing::wholeSeconds).toArray());
        double numpyLoop = median(numpyRuns.stream().mapToDouble(Timing::loopSeconds).toArray());
        double oursLoop = median(ourRuns.stream().mapToDouble(Timing::loopSeconds).toArray());
        System.out.printf(Locale.ROOT, "%nReference training, median of %d rounds (load after: %s):%n", rounds,
                load());
        System.out.println("| run | whole process | training loop | whole process vs numpy |");
        System.out.println("|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| numpy peer (OpenBLAS) | %.2f s | %.2f s | 1 |%n", numpyWhole, numpyLoop);
        System.out.printf(Locale.ROOT, "| `catvsnoncat train` | %.2f s | %.2f s | %.3f (1/%.1f) |%n", oursWhole,
                oursLoop, oursWhole / numpyWhole, numpyWhole / oursWhole);
    }

    private static Timing numpy(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        OPENBLAS_OVERRIDES.forEach(environment::remove);
        long start = System.nanoTime();
        String output = run(builder);
        double whole = (System.nanoTime() - start) / 1e9;
        return new Timing(whole, new JsonObject(output.trim()).getDouble("seconds"));
    }

    private static Timing ours(List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        String output = run(new ProcessBuilder(command));
        double whole = (System.nanoTime() - start) / 1e9;
        Matcher matcher = TRAINED.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected output of train: " + output);
        }
        return new Timing(whole, Double.parseDouble(matcher.group(2)));
    }

    private static String run(ProcessBuilder builder) throws IOException, InterruptedException {
        Process process = builder.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", builder.command()) + " failed: " + output);
        }
        return output;
    }

    /** The 1, 5 and 15 minute load averages: the machine may be shared. */
    private static String load() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static Timing last(List<Timing> timings) {
        return timings.get(timings.size() - 1);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private TrainingBenchmark() {
    }
}
