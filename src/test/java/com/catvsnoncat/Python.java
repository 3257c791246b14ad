package com.catvsnoncat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs python3 with numpy for cross-checks against the reference; tests skip with a message where it is absent. */
public final class Python {
    private static Boolean numpyAvailable;

    private Python() {
    }

    public static synchronized boolean numpyAvailable() {
        if (numpyAvailable == null) {
            try {
                numpyAvailable = run(List.of("python3", "-c", "import numpy")).exitCode == 0;
            } catch (IOException e) {
                numpyAvailable = false;
            }
        }
        return numpyAvailable;
    }

    /** Runs a script with numpy and returns its standard output; skips the test when numpy is not installed. */
    public static String runNumpy(String script, String... args) {
        assumeTrue(numpyAvailable(), "python3 with numpy not found: skipping the cross-check against numpy");
        List<String> command = new java.util.ArrayList<>(List.of("python3", "-c", script));
        command.addAll(List.of(args));
        try {
            Result result = run(command);
            if (result.exitCode != 0) {
                throw new AssertionError("python3 failed (" + result.exitCode + "): " + result.output);
            }
            return result.output;
        } catch (IOException e) {
            throw new AssertionError("could not run python3", e);
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("python3 timed out");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
