package com.catvsnoncat.cli;

import com.catvsnoncat.data.Datasets;
import com.catvsnoncat.data.Dataset;
import com.catvsnoncat.nn.CrossValidation;
import com.catvsnoncat.nn.FeatureExtractor;
import com.catvsnoncat.nn.FeatureSet;
import com.catvsnoncat.nn.TrainingOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "crossvalidate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Stratified k-fold cross-validation of a training setting on the training data alone:",
            "mean held-out cost, accuracy and balanced accuracy every --evaluate-every iterations,",
            "and the point with the best balanced accuracy."})
public final class CrossValidateCommand implements Callable<Integer> {
    @Option(names = {"-d", "--data"}, required = true, paramLabel = "PATH", description = "Training data.")
    Path data;

    @Option(names = {"-k", "--folds"}, defaultValue = "5", description = "Number of folds (default: ${DEFAULT-VALUE}).")
    int folds;

    @Mixin
    TrainingSettings settings = new TrainingSettings();

    @Mixin
    FeatureSettings featureSettings = new FeatureSettings();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        TrainingOptions options = settings.toOptions();
        Dataset pictures = Datasets.load(data);
        Optional<FeatureExtractor> extractor = featureSettings.extractor();
        List<CrossValidation.Point> points = extractor.isPresent()
                ? CrossValidation.run(FeatureSet.of(extractor.get(), pictures, options.mirror()), options, folds)
                : CrossValidation.run(pictures, options, folds);
        PrintWriter out = spec.commandLine().getOut();
        out.println("iteration  mean cost  mean accuracy  (sd)     balanced accuracy");
        for (CrossValidation.Point point : points) {
            out.printf("%9d  %9.6f  %13.6f  (%.3f)  %17.6f%n", point.iteration() + 1, point.meanCost(),
                    point.meanAccuracy(), point.accuracyStandardDeviation(), point.meanBalancedAccuracy());
        }
        // Balanced accuracy, because a third of the pictures are cats: always answering "non-cat" scores 0.66
        // in plain accuracy but 0.5 here.
        CrossValidation.Point best = points.stream()
                .max(Comparator.comparingDouble(CrossValidation.Point::meanBalancedAccuracy)).orElseThrow();
        // The folds' balanced accuracies and their standard error, so settings can be compared with their spread.
        StringBuilder byFold = new StringBuilder();
        for (double value : best.balancedAccuracies()) {
            byFold.append(String.format(Locale.ROOT, " %.4f", value));
        }
        out.printf(Locale.ROOT, "best: %d iterations, mean balanced accuracy %.6f (se %.4f; folds%s), mean accuracy"
                        + " %.6f (sd %.3f), mean cost %.6f%n", best.iteration() + 1, best.meanBalancedAccuracy(),
                best.balancedAccuracyStandardError(), byFold, best.meanAccuracy(), best.accuracyStandardDeviation(),
                best.meanCost());
        out.flush();
        return 0;
    }
}
