package com.catvsnoncat.cli;

import com.catvsnoncat.data.Dataset;
import com.catvsnoncat.data.Datasets;
import com.catvsnoncat.model.Model;
import com.catvsnoncat.nn.Metrics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Accuracy, precision, recall, F1 and the confusion matrix of a model on a data set.")
public final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    ModelOption model = new ModelOption();

    @Parameters(paramLabel = "DATA", description = "HDF5 file (like test_catvnoncat.h5) or folder with cat/ and non-cat/.")
    Path data;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Model loaded = model.load();
        Dataset dataset = Datasets.load(data);
        if (dataset.inputSize() != loaded.inputSize()) {
            throw new IllegalArgumentException("the model takes " + loaded.inputSize()
                    + " inputs but the data has " + dataset.inputSize() + " per example");
        }
        Metrics metrics = Metrics.of(loaded.predict(dataset.rows()), dataset.labels());
        PrintWriter out = spec.commandLine().getOut();
        out.printf("model      %s %s%n", loaded.metadata().name(), loaded.metadata().version());
        out.printf("data       %s (%d examples, %d cats)%n", data, dataset.size(), dataset.cats());
        out.printf("accuracy   %.6f%n", metrics.accuracy());
        out.printf("precision  %.6f%n", metrics.precision());
        out.printf("recall     %.6f%n", metrics.recall());
        out.printf("f1         %.6f%n", metrics.f1());
        out.println();
        out.println("confusion matrix   predicted cat   predicted non-cat");
        out.printf("actual cat         %13d   %17d%n", metrics.truePositives(), metrics.falseNegatives());
        out.printf("actual non-cat     %13d   %17d%n", metrics.falsePositives(), metrics.trueNegatives());
        out.flush();
        return 0;
    }
}
