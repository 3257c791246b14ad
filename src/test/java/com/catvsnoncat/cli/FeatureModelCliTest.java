package com.catvsnoncat.cli;

import static com.catvsnoncat.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.catvsnoncat.ReferenceData;
import com.catvsnoncat.model.BackboneFile;
import com.catvsnoncat.model.Model;
import com.catvsnoncat.model.ModelFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train, crossvalidate, evaluate and predict with the MobileNetV2 features, as a user runs them. */
class FeatureModelCliTest {
    @TempDir
    static Path dir;
    private static Path data;
    private static Path model;
    private static CliRun training;

    @BeforeAll
    static void trainOnce() {
        data = ReferenceData.dir();
        model = dir.resolve("features.npz");
        training = run("train", "--data", data.resolve("train_catvnoncat.h5").toString(),
                "--test", data.resolve("test_catvnoncat.h5").toString(), "--features", "mobilenetv2",
                "--layers", "96,1", "--learning-rate", "0.1", "--iterations", "300", "--l2", "10", "--mirror",
                "--no-progress", "--output", model.toString());
    }

    @Test
    void trainsOnTheFeaturesAndRecognisesCatsFarBetterThanThePixelNetwork() {
        assertThat(training.exitCode()).as(training.err()).isZero();
        // 418 examples: the 209 pictures and their mirrors
        assertThat(training.out()).contains("on 418 examples");
        Matcher test = Pattern.compile("test accuracy (0\\.\\d+)").matcher(training.out());
        assertThat(test.find()).isTrue();
        // The pixel network's best is 0.80 on these 50 test pictures.
        assertThat(Double.parseDouble(test.group(1))).isGreaterThanOrEqualTo(0.88);

        Model written = ModelFile.read(model);
        assertThat(written.metadata().features()).hasValueSatisfying(features -> {
            assertThat(features.extractor()).isEqualTo(BackboneFile.MOBILENETV2);
            assertThat(features.sha256()).isEqualTo(BackboneFile.bundled(BackboneFile.MOBILENETV2).sha256());
            assertThat(features.inputSize()).isEqualTo(64);
        });
        assertThat(written.metadata().standardized()).isTrue();
    }

    @Test
    void evaluateAndPredictTakeTheFeatureModel() throws Exception {
        CliRun evaluation = run("evaluate", "--model", model.toString(),
                data.resolve("test_catvnoncat.h5").toString());
        assertThat(evaluation.exitCode()).as(evaluation.err()).isZero();
        assertThat(evaluation.out()).contains("accuracy", "actual cat");

        Path cat = java.nio.file.Files.list(data.resolve("images/test/cat")).sorted().findFirst().orElseThrow();
        CliRun prediction = run("predict", "--model", model.toString(), cat.toString());
        assertThat(prediction.exitCode()).as(prediction.err()).isZero();
        assertThat(prediction.out()).containsPattern("^(cat|non-cat) +0\\.\\d{6}  ");
    }

    @Test
    void crossValidatesAFeatureSettingOnTheTrainingSetAlone() {
        CliRun cv = run("crossvalidate", "--data", data.resolve("train_catvnoncat.h5").toString(),
                "--features", "mobilenetv2", "--layers", "96,1", "--learning-rate", "0.1", "--iterations", "200",
                "--evaluate-every", "100", "--l2", "10");
        assertThat(cv.exitCode()).as(cv.err()).isZero();
        Matcher best = Pattern.compile("best: \\d+ iterations, mean balanced accuracy (0\\.\\d+)"
                + " \\(se (0\\.\\d+); folds ([ .\\d]+)\\)").matcher(cv.out());
        assertThat(best.find()).as(cv.out()).isTrue();
        double mean = Double.parseDouble(best.group(1));
        assertThat(mean).isGreaterThan(0.85);
        // The five folds' figures are the ones the mean and its standard error come from.
        double[] folds = Arrays.stream(best.group(3).trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
        assertThat(folds).hasSize(5);
        double foldMean = Arrays.stream(folds).average().orElseThrow();
        assertThat(foldMean).isCloseTo(mean, within(1e-4));
        double variance = Arrays.stream(folds).map(f -> (f - foldMean) * (f - foldMean)).sum() / (folds.length - 1);
        assertThat(Double.parseDouble(best.group(2))).isCloseTo(Math.sqrt(variance / folds.length), within(2e-4));
    }

    @Test
    void aWrongHeadOrExtractorGivesOneClearLine() {
        String train = data.resolve("train_catvnoncat.h5").toString();
        CliRun wrongHead = run("train", "--data", train, "--features", "mobilenetv2", "--layers", "12288,1",
                "--output", dir.resolve("never.npz").toString(), "--no-progress");
        assertThat(wrongHead.exitCode()).isEqualTo(1);
        assertThat(wrongHead.err()).startsWith("error: ").contains("the first size must be 96");
        CliRun wrongExtractor = run("train", "--data", train, "--features", "resnet", "--layers", "96,1");
        assertThat(wrongExtractor.exitCode()).isEqualTo(1);
        assertThat(wrongExtractor.err()).startsWith("error: ").contains("--features must be mobilenetv2");
        CliRun wrongSize = run("train", "--data", train, "--features", "mobilenetv2", "--input-size", "100",
                "--layers", "96,1");
        assertThat(wrongSize.exitCode()).isEqualTo(1);
        assertThat(wrongSize.err()).startsWith("error: ").contains("input size must be one of [64, 96, 128]");
    }
}
