package com.catvsnoncat.cli;

import static com.catvsnoncat.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.ReferenceData;
import com.catvsnoncat.model.Model;
import com.catvsnoncat.model.ModelFile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The jar's commands as a user runs them: what they print, what they write, and their exit codes. */
class CliTest {
    @TempDir
    static Path dir;
    private static Path data;
    private static Path model;
    private static CliRun training;

    @BeforeAll
    static void trainOnce() {
        data = ReferenceData.dir();
        model = dir.resolve("models/short.npz");
        training = run("train", "--data", data.resolve("train_catvnoncat.h5").toString(),
                "--test", data.resolve("test_catvnoncat.h5").toString(), "--iterations", "101", "--no-progress",
                "--output", model.toString());
    }

    @Test
    void trainPrintsTheReferenceCostsAndWritesTheModelAndItsPlot() throws IOException {
        assertThat(training.exitCode()).as(training.err()).isZero();
        assertThat(training.out()).contains("Cost after iteration 0: 0.771749", "Cost after iteration 100: 0.672053",
                "trained 101 iterations", "test accuracy");
        assertThat(ModelFile.read(model).metadata().training().getLong("seed")).isEqualTo(1);
        Path plot = dir.resolve("models/short.png");
        assertThat(Files.readAllBytes(plot)).startsWith(0x89, 'P', 'N', 'G');
        // It opens as an 800x500 picture, with the training curve drawn in its colour.
        BufferedImage picture = ImageIO.read(plot.toFile());
        assertThat(picture.getWidth()).isEqualTo(800);
        assertThat(picture.getHeight()).isEqualTo(500);
        long curvePixels = 0;
        for (int y = 0; y < picture.getHeight(); y++) {
            for (int x = 0; x < picture.getWidth(); x++) {
                curvePixels += (picture.getRGB(x, y) & 0xffffff) == 0xd62728 ? 1 : 0;
            }
        }
        assertThat(curvePixels).isGreaterThan(100);
        assertThat(training.err()).doesNotContain("timeline");
    }

    @Test
    void trainWithATimelinePrintsEachPhaseSinceTheLaunchAndEachThreadsCpuTime() {
        Instant launch = Instant.now();
        System.setProperty("catvsnoncat.timeline",
                String.valueOf(launch.getEpochSecond() * 1_000_000_000L + launch.getNano()));
        CliRun run;
        try {
            run = run("train", "--data", data.resolve("train_catvnoncat.h5").toString(),
                    "--test", data.resolve("test_catvnoncat.h5").toString(), "--iterations", "2", "--no-progress",
                    "--output", dir.resolve("timeline/model.npz").toString());
        } finally {
            System.clearProperty("catvsnoncat.timeline");
        }

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).containsSubsequence("training set read", "first iteration", "trained",
                "test set evaluated", "model written", "done");
        assertThat(run.err()).contains("[catvsnoncat-test-set]").containsPattern("timeline CPU +\\d+ ms  \\S");
        assertThat(run.err().lines().filter(line -> line.startsWith("timeline ") && line.contains(" ms  done ")))
                .singleElement().asString().matches(" *timeline +\\d+\\.\\d ms  done .*process CPU +\\d+ ms");
    }

    @Test
    void evaluatePrintsTheFiguresAndTheConfusionMatrix() {
        CliRun run = run("evaluate", "--model", model.toString(), data.resolve("test_catvnoncat.h5").toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("accuracy", "precision", "recall", "f1", "actual cat", "actual non-cat");
    }

    @Test
    void predictPrintsOneLinePerImageAndReportsUnreadableOnesWithoutStoppingTheOthers() throws IOException {
        Path cat = Files.list(data.resolve("images/test/cat")).sorted().findFirst().orElseThrow();
        Path notAnImage = Files.writeString(dir.resolve("notes.txt"), "hello");
        CliRun run = run("predict", "--model", model.toString(), cat.toString(), notAnImage.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out().lines()).hasSize(1);
        assertThat(run.out()).containsPattern("^(cat|non-cat) +0\\.\\d{6}  " + java.util.regex.Pattern.quote(cat.toString()));
        assertThat(run.err().trim()).startsWith("error: " + notAnImage + ": not a supported image format");
    }

    @Test
    void badInputGivesOneClearLineAndExitCodeOne() throws IOException {
        Path garbage = Files.write(dir.resolve("garbage.h5"), new byte[] {1, 2, 3, 4, 5});
        Path corruptModel = Files.write(dir.resolve("corrupt.npz"), new byte[] {'P', 'K', 3, 4, 0, 0});
        String train = data.resolve("train_catvnoncat.h5").toString();

        assertOneLineError(run("train", "--data", dir.resolve("missing.h5").toString()), "no such file");
        assertOneLineError(run("train", "--data", garbage.toString()), "not a readable HDF5 file");
        assertOneLineError(run("train", "--data", train, "--layers", "100,5,1"), "do not match the data");
        assertOneLineError(run("train", "--data", train, "--learning-rate", "0"), "learning rate must be a positive");
        assertOneLineError(run("train", "--data", train, "--learning-rate", "-1"), "learning rate must be a positive");
        assertOneLineError(run("evaluate", "--model", corruptModel.toString(), train), corruptModel.toString());
        assertOneLineError(run("predict", "--model", corruptModel.toString(), train), corruptModel.toString());
    }

    @Test
    void importWritesTheOriginalModelInOurFormatWithItsProvenance() {
        Path original = ReferenceData.originalModel();
        Path imported = dir.resolve("imported/model.npz");

        CliRun run = run("import", original.toString(), "-o", imported.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("layers [12288, 20, 7, 5, 1]", "sha256 ", "wrote " + imported);
        Model model = ModelFile.read(imported);
        assertThat(model.metadata().imported()).isPresent();
        assertThat(model.metadata().contentHash()).isPresent();
        assertThat(model.network().layerSizes()).containsExactly(12288, 20, 7, 5, 1);
    }

    @Test
    void evaluateAndPredictTakeTheOriginalModelFileDirectly() throws IOException {
        String original = ReferenceData.originalModel().toString();
        Path cat = Files.list(data.resolve("images/test/cat")).sorted().findFirst().orElseThrow();

        CliRun evaluate = run("evaluate", "-m", original, data.resolve("test_catvnoncat.h5").toString());
        CliRun predict = run("predict", "-m", original, cat.toString());

        assertThat(evaluate.exitCode()).as(evaluate.err()).isZero();
        assertThat(evaluate.out()).contains("model      original sha256-", "accuracy   0.760000");
        assertThat(predict.exitCode()).as(predict.err()).isZero();
        assertThat(predict.out()).containsPattern("^(cat|non-cat) +0\\.\\d{6}  ");
    }

    @Test
    void importRefusesAHostileFileInOneLine() throws IOException {
        Path hostile = Files.write(dir.resolve("hostile.npz"), hostileParameters());

        assertOneLineError(run("import", hostile.toString(), "-o", dir.resolve("never.npz").toString()),
                "refused pickle: global os.system is not allowed");
        assertThat(dir.resolve("never.npz")).doesNotExist();
    }

    /** An npz shaped like the original's whose pickle reduces os.system("true"). */
    private static byte[] hostileParameters() throws IOException {
        ByteArrayOutputStream npy = new ByteArrayOutputStream();
        String header = "{'descr': '|O', 'fortran_order': False, 'shape': (), }\n";
        npy.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        npy.write(header.getBytes(StandardCharsets.US_ASCII));
        npy.write(new byte[] {(byte) 0x80, 2, 'c'});
        npy.write("os\nsystem\n".getBytes(StandardCharsets.US_ASCII));
        npy.write(new byte[] {'X', 4, 0, 0, 0, 't', 'r', 'u', 'e', (byte) 0x85, 'R', '.'});
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("parameters.npy"));
            out.write(npy.toByteArray());
            out.closeEntry();
        }
        return zip.toByteArray();
    }

    @Test
    void versionIsTheOneTheBuildWasGiven() {
        CliRun run = run("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().trim()).isEqualTo("catvsnoncat " + System.getProperty("catvsnoncat.project.version"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"serve", "train", "crossvalidate", "evaluate", "predict", "import"})
    void everyCommandSaysTheVersion(String command) {
        CliRun run = run(command, "-V");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().trim()).isEqualTo("catvsnoncat " + System.getProperty("catvsnoncat.project.version"));
    }

    private static void assertOneLineError(CliRun run, String expected) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err().trim().lines()).as(run.err()).hasSize(1);
        assertThat(run.err()).startsWith("error: ").contains(expected).doesNotContain("Exception");
    }
}
