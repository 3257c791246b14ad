package com.catvsnoncat.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference training (12288,20,7,5,1, 2500 iterations, seed 1) as a user runs it, beside the numpy peer, in the
 * same session with rounds alternating so both see the same machine load: each side's whole process (start to
 * exit, as a user waits for it), its own training-loop figure, and the CPU time (user + system, all threads) the
 * whole process used: on a shared machine the wall times move with the other load, the CPU times much less (bash's
 * {@code times} reports them, so each command runs under bash). numpy runs without the {@code OPENBLAS_CORETYPE}
 * and {@code OPENBLAS_L2_SIZE} this machine sets, which slow today's numpy; only its command is changed so.
 *
 * <p>Usage: {@code TrainingBenchmark <jar> <peer.py> <data dir> [rounds]}; {@code make bench} runs it. With another
 * jar in place of the peer ({@code make bench-train-ab OTHER_JAR=...}), the same run of both jars, alternating which
 * goes first: for judging a change, whose effect is far smaller than the load's swings. With {@code TRAIN_CHRT=N} in
 * the environment (root only) both jars run under {@code chrt -f N}: on a machine shared with other builds their
 * threads then run ahead of the others', so a run of about a second is not stretched to five by a load of 10 (a
 * comparison of jars, not a quiet machine's figure; the numpy comparison never runs so). {@code OTHER_JVM} gives the
 * other jar's run JVM options (the same jar with and without an option, say).
 */
public final class TrainingBenchmark {
    private static final Pattern TRAINED = Pattern.compile("trained (\\d+) iterations in ([0-9.]+) s");
    private static final List<String> OPENBLAS_OVERRIDES = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");
    /** Runs the command given after it and then prints its CPU times (bash's {@code times}, last line) on stderr. */
    private static final String WITH_CPU_TIMES = "\"$@\"; status=$?; times >&2; exit $status";
    private static final Pattern CHILD_TIMES = Pattern.compile("(\\d+)m([0-9.]+)s (\\d+)m([0-9.]+)s\\s*$");
    /**
     * A run is stopped after this long: numpy takes 13-19 s on a quiet machine, but on a loaded one its OpenBLAS
     * threads spin and it once took 285 s; no comparison is worth making then.
     */
    private static final long RUN_LIMIT_SECONDS = 120;

    /** One process's wall time from start to exit, the training time it reported itself, and its CPU time. */
    private record Timing(double wholeSeconds, double loopSeconds, double cpuSeconds) {
    }

    /** What a run printed on stdout, and its CPU time. */
    private record Run(String output, double cpuSeconds) {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path peer = Path.of(args[1]);
        Path data = Path.of(args[2]);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Path output = Files.createTempDirectory("catvsnoncat-bench").resolve("reference.npz");
        if (peer.toString().endsWith(".jar")) {
            compareJars(jar, peer, data, rounds, output);
            return;
        }
        List<String> numpy = List.of("python3", peer.toString(), "--data", data.resolve("catvnoncat.npz").toString());
        List<String> ours = train(jar, List.of(), data, output);
        System.out.println("numpy:       env " + OPENBLAS_OVERRIDES.stream().map(name -> "-u " + name)
                .reduce((a, b) -> a + " " + b).orElseThrow() + " " + String.join(" ", numpy));
        System.out.println("catvsnoncat: " + String.join(" ", ours));
        System.out.println("load before: " + load());

        List<Timing> numpyRuns = new ArrayList<>();
        List<Timing> ourRuns = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            try {
                numpyRuns.add(numpy(numpy));
            } catch (RunTimedOut e) {
                System.out.printf(Locale.ROOT, "round %d: %s (load %s); the machine is too busy to compare, round left"
                        + " out%n", round, e.getMessage(), load());
                continue;
            }
            ourRuns.add(ours(ours));
            System.out.printf(Locale.ROOT, "round %d: numpy %.2f s (loop %.2f s, CPU %.2f s), catvsnoncat %.2f s"
                    + " (loop %.2f s, CPU %.2f s); load %s%n", round, last(numpyRuns).wholeSeconds,
                    last(numpyRuns).loopSeconds, last(numpyRuns).cpuSeconds, last(ourRuns).wholeSeconds,
                    last(ourRuns).loopSeconds, last(ourRuns).cpuSeconds, load());
        }
        if (numpyRuns.isEmpty()) {
            System.out.println("no round finished: nothing to compare");
            System.exit(1);
        }
        double numpyWhole = median(numpyRuns.stream().mapToDouble(Timing::wholeSeconds).toArray());
        double oursWhole = median(ourRuns.stream().mapToDouble(Timing::wholeSeconds).toArray());
        double numpyLoop = median(numpyRuns.stream().mapToDouble(Timing::loopSeconds).toArray());
        double oursLoop = median(ourRuns.stream().mapToDouble(Timing::loopSeconds).toArray());
        double numpyCpu = median(numpyRuns.stream().mapToDouble(Timing::cpuSeconds).toArray());
        double oursCpu = median(ourRuns.stream().mapToDouble(Timing::cpuSeconds).toArray());
        System.out.printf(Locale.ROOT, "%nReference training, median of %d rounds (load after: %s):%n",
                numpyRuns.size(), load());
        System.out.println("| run | whole process | training loop | whole process vs numpy | CPU time | CPU vs numpy |");
        System.out.println("|---|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| numpy peer (OpenBLAS) | %.2f s | %.2f s | 1 | %.2f s | 1 |%n", numpyWhole,
                numpyLoop, numpyCpu);
        System.out.printf(Locale.ROOT, "| `catvsnoncat train` | %.2f s | %.2f s | %.3f (1/%.1f) | %.2f s | %.3f |%n",
                oursWhole, oursLoop, oursWhole / numpyWhole, numpyWhole / oursWhole, oursCpu, oursCpu / numpyCpu);
    }

    private static List<String> train(Path jar, List<String> jvmOptions, Path data, Path output) {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "train",
                "--data", data.resolve("train_catvnoncat.h5").toString(),
                "--test", data.resolve("test_catvnoncat.h5").toString(), "--output", output.toString()));
        return command;
    }

    private static void compareJars(Path jar, Path other, Path data, int rounds, Path output) throws Exception {
        String otherJvm = System.getenv().getOrDefault("OTHER_JVM", "").trim();
        List<String> otherJvmOptions = otherJvm.isEmpty() ? List.of() : List.of(otherJvm.split("\\s+"));
        List<String> ours = withChrt(train(jar, List.of(), data, output));
        List<String> theirs = withChrt(train(other, otherJvmOptions, data, output.resolveSibling("other.npz")));
        System.out.println("this:  " + String.join(" ", ours));
        System.out.println("other: " + String.join(" ", theirs));
        System.out.println("load before: " + load());
        List<Timing> ourRuns = new ArrayList<>();
        List<Timing> otherRuns = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            if (round % 2 == 1) {
                ourRuns.add(ours(ours));
                otherRuns.add(ours(theirs));
            } else {
                otherRuns.add(ours(theirs));
                ourRuns.add(ours(ours));
            }
            System.out.printf(Locale.ROOT, "round %d: this %.2f s (loop %.2f s, CPU %.2f s), other %.2f s (loop %.2f s,"
                    + " CPU %.2f s); load %s%n", round, last(ourRuns).wholeSeconds, last(ourRuns).loopSeconds,
                    last(ourRuns).cpuSeconds, last(otherRuns).wholeSeconds, last(otherRuns).loopSeconds,
                    last(otherRuns).cpuSeconds, load());
        }
        System.out.printf(Locale.ROOT, "%nReference training, median of %d alternating rounds (load after: %s):%n",
                rounds, load());
        System.out.println("| jar | whole process | training loop | CPU time |");
        System.out.println("|---|---|---|---|");
        for (int side = 0; side < 2; side++) {
            List<Timing> runs = side == 0 ? ourRuns : otherRuns;
            System.out.printf(Locale.ROOT, "| %s | %.2f s | %.2f s | %.2f s |%n", side == 0 ? jar
                    : (otherJvm.isEmpty() ? "" : otherJvm + " ") + other,
                    median(runs.stream().mapToDouble(Timing::wholeSeconds).toArray()),
                    median(runs.stream().mapToDouble(Timing::loopSeconds).toArray()),
                    median(runs.stream().mapToDouble(Timing::cpuSeconds).toArray()));
        }
    }

    /** The command under {@code chrt -f $TRAIN_CHRT} when that is set. */
    private static List<String> withChrt(List<String> command) {
        String priority = System.getenv("TRAIN_CHRT");
        if (priority == null || priority.isBlank()) {
            return command;
        }
        List<String> prefixed = new ArrayList<>(List.of("chrt", "-f", priority));
        prefixed.addAll(command);
        return prefixed;
    }

    private static Timing numpy(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        OPENBLAS_OVERRIDES.forEach(environment::remove);
        long start = System.nanoTime();
        Run run = run(builder);
        double whole = (System.nanoTime() - start) / 1e9;
        return new Timing(whole, new JsonObject(run.output().trim()).getDouble("seconds"), run.cpuSeconds());
    }

    private static Timing ours(List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Run run = run(new ProcessBuilder(command));
        double whole = (System.nanoTime() - start) / 1e9;
        Matcher matcher = TRAINED.matcher(run.output());
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected output of train: " + run.output());
        }
        return new Timing(whole, Double.parseDouble(matcher.group(2)), run.cpuSeconds());
    }

    private static Run run(ProcessBuilder builder) throws IOException, InterruptedException {
        String described = String.join(" ", builder.command());
        List<String> command = new ArrayList<>(List.of("bash", "-c", WITH_CPU_TIMES, "bash"));
        command.addAll(builder.command());
        Path output = Files.createTempFile("catvsnoncat-bench", ".out");
        Path errors = Files.createTempFile("catvsnoncat-bench", ".err");
        try {
            Process process = builder.command(command).redirectOutput(output.toFile()).redirectError(errors.toFile())
                    .start();
            if (!process.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                throw new RunTimedOut(described + " did not finish within " + RUN_LIMIT_SECONDS + " s");
            }
            String printed = Files.readString(output);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + printed);
            }
            // The last line of bash's times: the user and system time of the commands it ran.
            Matcher times = CHILD_TIMES.matcher(Files.readString(errors));
            if (!times.find()) {
                throw new IllegalStateException("no CPU times after " + String.join(" ", command));
            }
            double cpu = Integer.parseInt(times.group(1)) * 60 + Double.parseDouble(times.group(2))
                    + Integer.parseInt(times.group(3)) * 60 + Double.parseDouble(times.group(4));
            return new Run(printed, cpu);
        } finally {
            Files.delete(output);
            Files.delete(errors);
        }
    }

    /** A run stopped at {@link #RUN_LIMIT_SECONDS}. */
    private static final class RunTimedOut extends IllegalStateException {
        RunTimedOut(String message) {
            super(message);
        }
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
