package com.catvsnoncat.cli;

import com.catvsnoncat.data.Dataset;
import com.catvsnoncat.data.Datasets;
import com.catvsnoncat.model.Model;
import com.catvsnoncat.model.ModelFile;
import com.catvsnoncat.model.ModelMetadata;
import com.catvsnoncat.nn.FeatureExtractor;
import com.catvsnoncat.nn.FeatureSet;
import com.catvsnoncat.nn.Metrics;
import com.catvsnoncat.nn.Trainer;
import com.catvsnoncat.nn.TrainingListener;
import com.catvsnoncat.nn.TrainingOptions;
import com.catvsnoncat.nn.TrainingResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a network and writes the model (.npz) and its cost curve (.png) beside it.",
            "The defaults are the reference run: 12288,20,7,5,1, rate 0.0075, 2500 iterations, seed 1."})
public final class TrainCommand implements Callable<Integer> {
    private static final int COST_TABLE_EVERY = 100;

    @Option(names = {"-d", "--data"}, required = true, paramLabel = "PATH",
            description = "Training data: HDF5 file (train_catvnoncat.h5) or folder with cat/ and non-cat/.")
    Path data;

    @Option(names = "--test", paramLabel = "PATH", description = "Test data, only to report test accuracy.")
    Path test;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "model.npz",
            description = "Model file to write (default: ${DEFAULT-VALUE}); the plot goes to FILE.png without .npz.")
    Path output;

    @Option(names = "--name", defaultValue = "catvnoncat", description = "Model name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--model-version", description = "Model version (default: the UTC time of training).")
    String version;

    @Option(names = "--description", description = "Free text stored in the model's metadata, e.g. how it was chosen.")
    String description;

    @Option(names = "--no-progress", description = "No progress bar (for logs and scripts).")
    boolean noProgress;

    @Mixin
    TrainingSettings settings = new TrainingSettings();

    @Mixin
    FeatureSettings featureSettings = new FeatureSettings();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        TrainingOptions options = settings.toOptions();
        // The second core reads the test set while this one reads and trains.
        Background<Dataset> testRead = test == null ? null : Background.start("test-set", () -> Datasets.load(test));
        // And the second core runs the training loop on made-up data meanwhile, so its kernels are compiled in time,
        // and then writes a made-up model to memory, so the real model's write after the loop runs warm too.
        Background.start("warm-up", () -> {
            Trainer.warmUp(options);
            ModelFile.warmUp();
            return null;
        });
        Optional<FeatureExtractor> extractor = featureSettings.extractor();
        Dataset training = Datasets.load(data);
        Timeline.mark("training set read");
        Dataset testSet = testRead == null ? null : testRead.await();
        FeatureSet features = null;
        if (extractor.isPresent()) {
            features = FeatureSet.of(extractor.get(), training, options.mirror());
        } else {
            Trainer.checkInputs(options, training);
        }
        TrainingResult result;
        if (noProgress) {
            result = train(features, training, options, timed(TrainingListener.NONE));
        } else {
            try (TrainingProgress progress = new TrainingProgress(options.iterations())) {
                result = train(features, training, options, timed(progress));
            }
        }
        Timeline.mark("trained");
        Path plot = plotPath(output);
        TrainingResult trained = result;
        Background<Void> plotWritten = Background.start("cost-plot", () -> {
            CostPlot.write(trained, plot);
            return null;
        });
        PrintWriter out = spec.commandLine().getOut();
        for (int i = 0; i < result.costs().length; i += COST_TABLE_EVERY) {
            out.printf("Cost after iteration %d: %.6f%n", i, result.costs()[i]);
        }

        Instant now = Instant.now();
        ModelMetadata metadata = ModelMetadata.create(name, version != null ? version : versionOf(now), options.layers(),
                        result.standardizer().isPresent())
                .withTraining(trainingJson(options, result))
                .withCosts(costCurve(result.costs()))
                .withAccuracy("train", result.trainingAccuracy())
                .withCreatedAt(now);
        if (description != null) {
            metadata = metadata.with("description", description);
        }
        if (extractor.isPresent()) {
            FeatureExtractor used = extractor.get();
            metadata = metadata.withFeatures(new ModelMetadata.Features(used.name(), used.sha256(), used.inputSize()));
        }
        if (result.validationAccuracy().isPresent()) {
            metadata = metadata.withAccuracy("validation", result.validationAccuracy().get());
        }
        Model model = new Model(extractor.orElse(null), result.network(), result.standardizer().orElse(null), metadata);
        if (testSet != null) {
            double testAccuracy = Metrics.of(model.predict(testSet.rows()), testSet.labels())
                    .accuracy();
            model = model.withMetadata(model.metadata().withAccuracy("test", testAccuracy));
        }
        Timeline.mark("test set evaluated");
        ModelFile.write(output, model);
        Timeline.mark("model written");
        plotWritten.await();

        out.printf("trained %d iterations in %.2f s (%s solver) on %d examples%s%n", result.iterationsRun(),
                result.seconds(), result.solver().name().toLowerCase(), result.trainingExamples(),
                result.validationExamples() > 0 ? " (" + result.validationExamples() + " held out)" : "");
        out.printf("train accuracy %.6f%n", result.trainingAccuracy());
        result.validationAccuracy().ifPresent(a -> out.printf("validation accuracy %.6f (kept iteration %d)%n", a,
                result.bestIteration()));
        model.metadata().accuracy("test").ifPresent(a -> out.printf("test accuracy %.6f%n", a));
        out.printf("wrote %s and %s%n", output, plot);
        out.flush();
        Timeline.mark("done");
        Timeline.threads();
        return 0;
    }

    private static TrainingResult train(FeatureSet features, Dataset pictures, TrainingOptions options,
                                        TrainingListener listener) {
        return features != null ? features.train(options, listener) : Trainer.train(pictures, options, listener);
    }

    /** With a timeline, the end of the first iteration too: the set-up (initial weights, Gram matrix) is done. */
    private static TrainingListener timed(TrainingListener listener) {
        if (!Timeline.enabled()) {
            return listener;
        }
        return (iteration, total, cost) -> {
            if (iteration == 0) {
                Timeline.mark("first iteration");
            }
            listener.iterationDone(iteration, total, cost);
        };
    }

    private JsonObject trainingJson(TrainingOptions options, TrainingResult result) {
        return new JsonObject()
                .put("data", data.getFileName().toString())
                .put("examples", result.trainingExamples())
                .put("validationExamples", result.validationExamples())
                .put("learningRate", options.learningRate())
                .put("iterations", options.iterations())
                .put("iterationsRun", result.iterationsRun())
                .put("keptIteration", result.bestIteration())
                .put("seed", options.seed())
                .put("optimizer", options.optimizer().name().toLowerCase())
                .put("batchSize", options.batchSize())
                .put("l2", options.l2())
                .put("mirror", options.mirror())
                .put("standardize", options.standardize())
                .put("validationFraction", options.validationFraction())
                .put("patience", options.patience())
                .put("solver", result.solver().name().toLowerCase())
                .put("seconds", result.seconds())
                .put("validationCosts", new JsonArray(result.validationCosts().stream()
                        .map(p -> new JsonObject().put("iteration", p.iteration()).put("cost", p.cost())
                                .put("accuracy", p.accuracy()))
                        .toList()));
    }

    /** At most about 500 points, always including the first and last iteration. */
    private static List<ModelMetadata.Cost> costCurve(double[] costs) {
        int every = Math.max(1, costs.length / 500);
        List<ModelMetadata.Cost> curve = new ArrayList<>();
        for (int i = 0; i < costs.length; i += every) {
            curve.add(new ModelMetadata.Cost(i, costs[i]));
        }
        if ((costs.length - 1) % every != 0) {
            curve.add(new ModelMetadata.Cost(costs.length - 1, costs[costs.length - 1]));
        }
        return curve;
    }

    static Path plotPath(Path model) {
        String file = model.getFileName().toString();
        String base = file.endsWith(".npz") ? file.substring(0, file.length() - 4) : file;
        return model.resolveSibling(base + ".png");
    }

    private static String versionOf(Instant instant) {
        return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(instant);
    }
}
