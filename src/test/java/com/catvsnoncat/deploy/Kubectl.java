package com.catvsnoncat.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * {@code kubectl kustomize}, the renderer {@code kubectl apply -k} uses. When kubectl is missing, or so old that its
 * built-in kustomize cannot read our kustomizations (Debian bookworm's kubernetes-client 1.20 has kustomize 2.0),
 * the calling test is skipped, or fails if {@code catvsnoncat.kubectl.required} is true.
 */
final class Kubectl {
    static final String REQUIRED = "catvsnoncat.kubectl.required";
    /** {@code labels} with {@code includeTemplates} and nested components need kustomize 5. */
    static final int MIN_KUSTOMIZE_MAJOR = 5;
    private static final long TIMEOUT_SECONDS = 60;
    private static final Pattern MAJOR = Pattern.compile("v?(\\d+)\\.");

    private static volatile String unusable;
    private static volatile boolean checked;

    private Kubectl() {
    }

    /** The YAML {@code kubectl kustomize dir} prints; fails with kubectl's message when rendering fails. */
    static String kustomize(Path dir) {
        assumeUsable();
        Result result = run("kustomize", dir.toString());
        if (result.exitCode() != 0) {
            fail("kubectl kustomize " + dir + " failed:\n" + result.stderr());
        }
        return result.stdout();
    }

    private static synchronized void assumeUsable() {
        if (!checked) {
            unusable = whyUnusable();
            checked = true;
        }
        if (unusable != null) {
            String message = unusable + "; the Kubernetes manifests are not checked (install kubectl >= 1.27, "
                    + "e.g. from https://kubernetes.io/docs/tasks/tools/)";
            if (Boolean.getBoolean(REQUIRED)) {
                fail(message);
            }
            Assumptions.abort(message);
        }
    }

    /** Null when kubectl is there with a recent enough kustomize, else why not. */
    private static String whyUnusable() {
        Result version;
        try {
            version = run("version", "--client", "-o", "json");
        } catch (IllegalStateException e) {
            return "kubectl not found on the PATH";
        }
        if (version.exitCode() != 0) {
            return "kubectl version failed: " + version.stderr();
        }
        String kustomize = new JsonObject(version.stdout()).getString("kustomizeVersion");
        Matcher major = MAJOR.matcher(kustomize == null ? "" : kustomize);
        if (!major.lookingAt() || Integer.parseInt(major.group(1)) < MIN_KUSTOMIZE_MAJOR) {
            return "kubectl's kustomize is " + (kustomize == null ? "too old to report its version" : kustomize)
                    + ", older than v" + MIN_KUSTOMIZE_MAJOR;
        }
        return null;
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result run(String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kubectl: " + e.getMessage(), e);
        }
        try {
            // Both streams read at once, so a full stderr pipe cannot stall kubectl.
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String stdout = read(process.getInputStream());
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("kubectl " + String.join(" ", args) + " took more than " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), stdout, stderr.join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
