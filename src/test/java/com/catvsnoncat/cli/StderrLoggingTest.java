package com.catvsnoncat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/** The commands other than serve: their libraries' errors as plain lines, and no logback to set up first. */
class StderrLoggingTest {
    @TempDir
    Path dir;

    @Test
    void errorsArePrintedWithTheLoggerAndTheFormattedMessageAndLowerLevelsAreNot() {
        Logger logger = new StderrLogging().getLoggerFactory().getLogger("io.jhdf.HdfFile");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            logger.info("read {} headers", 12);
            logger.warn("version {}", "0.13.0");
            logger.error("cannot read {} at {}", "train_set_x", 4096);
        } finally {
            System.setErr(err);
        }

        assertThat(captured.toString(StandardCharsets.UTF_8))
                .isEqualTo("ERROR io.jhdf.HdfFile - cannot read train_set_x at 4096" + System.lineSeparator());
    }

    @Test
    void trainInItsOwnProcessReadsHdf5WithoutLoadingLogbackAndPrintsOnlyItsError() throws Exception {
        Path garbage = Files.write(dir.resolve("garbage.h5"), new byte[] {1, 2, 3, 4, 5});
        Path classes = dir.resolve("classes.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xlog:class+load=info:file=" + classes, "-cp", applicationClassPath(),
                Main.class.getName(), "train", "--data", garbage.toString()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(out).isEmpty();
        assertThat(err.lines()).singleElement().asString().startsWith("error: " + garbage + " is not a readable HDF5");
        String loaded = Files.readString(classes);
        assertThat(loaded).contains("io.jhdf.HdfFile ", StderrLogging.class.getName() + " ")
                .doesNotContain("ch.qos.logback");
    }

    /** This test run's class path without the test classes: the application's classes and dependencies. */
    private static String applicationClassPath() {
        List<String> entries = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        return entries.stream().filter(entry -> !Path.of(entry).getFileName().toString().equals("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
