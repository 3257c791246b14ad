package com.catvsnoncat.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.cli.Main;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log format as an operator sees it: {@code serve} as its own process with the application's classes and
 * libraries only (no logback-test.xml), so logging is set up as in the jar.
 */
class LogFormatProcessTest {
    private static final String READY_LINE = "catvsnoncat serving on";
    private static final long READY_TIMEOUT_S = 90;

    @TempDir
    Path dir;

    @Test
    void readableLinesByDefault() throws Exception {
        List<String> lines = startupLines(List.of());

        assertThat(lines).isNotEmpty().allSatisfy(line ->
                assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO |WARN |ERROR) \\S+ - .+"));
    }

    @Test
    void theConfigurationFileSwitchesToOneJsonObjectPerLine() throws Exception {
        Path config = Files.writeString(dir.resolve("config.json"), "{\"logging\": {\"format\": \"json\"}}");

        List<String> lines = startupLines(List.of("--config", config.toString()));

        assertThat(lines).isNotEmpty().allSatisfy(line -> {
            JsonObject entry = new JsonObject(line);
            assertThat(entry.getString("level")).isNotBlank();
            assertThat(entry.getString("message")).isNotBlank();
        });
    }

    /** The process's output up to and including the line that says it serves; then the process is stopped. */
    private List<String> startupLines(List<String> arguments) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", ServiceProcess.applicationClassPath(),
                "-Dcatvsnoncat.http.host=127.0.0.1", "-Dcatvsnoncat.classifier.warmupRuns=0",
                "-Dcatvsnoncat.weather.openMeteo.baseUrl=http://127.0.0.1:9",
                Main.class.getName(), "serve", "--port", "0"));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // A process that never says it serves is ended, so the read below returns and the test fails, not hangs.
        CompletableFuture.delayedExecutor(READY_TIMEOUT_S, TimeUnit.SECONDS).execute(process::destroyForcibly);
        List<String> lines = new ArrayList<>();
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = output.readLine()) != null) {
                lines.add(line);
                if (line.contains(READY_LINE)) {
                    return lines;
                }
            }
            throw new AssertionError("the process ended (or was ended after " + READY_TIMEOUT_S
                    + " s) before serving:\n" + String.join("\n", lines));
        } finally {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
