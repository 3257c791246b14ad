package com.catvsnoncat.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end training time of the reference run beside the numpy peer, measured in the same session, rounds
 * alternating so both see the same machine load. Our figure is the jar's own {@code train} in a fresh JVM (JIT
 * warm-up included), as a user runs it; numpy's is the peer's own training-loop time.
 *
 * <p>Usage: {@code TrainingBenchmark <jar> <peer.py> <data dir> [rounds]}; {@code make bench} runs it.
 */
public final class TrainingBenchmark {
    private static final Pattern TRAINED = Pattern.compile("trained (\\d+) iterations in ([0-9.]+) s");

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path peer = Path.of(args[1]);
        Path data = Path.of(args[2]);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        String train = data.resolve("train_catvnoncat.h5").toString();
        String npz = data.resolve("catvnoncat.npz").toString();
        // Per-iteration time is the difference of a long and a short run, so set-up and start-up cancel out.
        int shortRun = 100;
        int longRun = 300;

        List<Double> numpyFull = new ArrayList<>();
        List<Double> gram = new ArrayList<>();
        List<Double> numpyPerIteration = new ArrayList<>();
        List<Double> directPerIteration = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            numpyFull.add(numpy(peer, npz, 2500));
            gram.add(ours(jar, train, 2500, "gram"));
            numpyPerIteration.add((numpy(peer, npz, longRun) - numpy(peer, npz, shortRun)) / (longRun - shortRun) * 1000);
            directPerIteration.add((ours(jar, train, longRun, "direct") - ours(jar, train, shortRun, "direct"))
                    / (longRun - shortRun) * 1000);
            System.err.printf(Locale.ROOT, "round %d: numpy %.2f s, gram %.3f s; per iteration: numpy %.2f ms, direct %.2f ms%n",
                    round, last(numpyFull), last(gram), last(numpyPerIteration), last(directPerIteration));
        }
        double numpySeconds = median(numpyFull);
        double gramSeconds = median(gram);
        double numpyIteration = median(numpyPerIteration);
        double directIteration = median(directPerIteration);
        System.out.printf(Locale.ROOT, "%nReference training (12288,20,7,5,1, 2500 iterations, seed 1), median of %d rounds:%n",
                rounds);
        System.out.println("| run | time | vs numpy |");
        System.out.println("|---|---|---|");
        System.out.printf(Locale.ROOT, "| numpy peer (OpenBLAS) | %.2f s | 1x |%n", numpySeconds);
        System.out.printf(Locale.ROOT, "| catvsnoncat train, Gram solver, fresh JVM | %.3f s | %.1fx faster |%n",
                gramSeconds, numpySeconds / gramSeconds);
        System.out.printf(Locale.ROOT, "| numpy, one iteration (forward + backward) | %.2f ms | 1x |%n", numpyIteration);
        System.out.printf(Locale.ROOT, "| catvsnoncat direct solver, one iteration | %.2f ms | %.2fx faster |%n",
                directIteration, numpyIteration / directIteration);
    }

    private static double numpy(Path peer, String npz, int iterations) throws IOException, InterruptedException {
        String output = run(List.of("python3", peer.toString(), "--iterations", Integer.toString(iterations),
                "--data", npz));
        return new JsonObject(output.trim()).getDouble("seconds");
    }

    private static double ours(Path jar, String train, int iterations, String solver)
            throws IOException, InterruptedException {
        String output = run(List.of("java", "-jar", jar.toString(), "train", "--data", train, "--no-progress",
                "--iterations", Integer.toString(iterations), "--solver", solver,
                "--output", System.getProperty("java.io.tmpdir") + "/catvsnoncat-bench.npz"));
        Matcher matcher = TRAINED.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected output of train: " + output);
        }
        return Double.parseDouble(matcher.group(2));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    private static double last(List<Double> values) {
        return values.get(values.size() - 1);
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private TrainingBenchmark() {
    }
}
