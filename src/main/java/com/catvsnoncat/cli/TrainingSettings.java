package com.catvsnoncat.cli;

import com.catvsnoncat.nn.TrainingOptions;
import java.util.Arrays;
import picocli.CommandLine.Option;

/** The options that make a {@link TrainingOptions}, shared by train and crossvalidate. */
final class TrainingSettings {
    @Option(names = "--layers", split = ",", paramLabel = "N", defaultValue = "12288,20,7,5,1",
            description = "Layer sizes, inputs first, 1 last (default: ${DEFAULT-VALUE}).")
    int[] layers;

    @Option(names = {"--learning-rate", "--lr"}, defaultValue = "0.0075", description = "Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--iterations", defaultValue = "2500",
            description = "Passes over the training set (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--seed", defaultValue = "1", description = "numpy-compatible seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--optimizer", defaultValue = "gd", description = "gd or adam (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--batch-size", defaultValue = "0", description = "Mini-batch size; 0 = full batch.")
    int batchSize;

    @Option(names = "--l2", defaultValue = "0", description = "L2 regularisation lambda (default: ${DEFAULT-VALUE}).")
    double l2;

    @Option(names = "--mirror", description = "Also train on every picture mirrored left to right.")
    boolean mirror;

    @Option(names = "--standardize", description = "Standardise each input to zero mean, unit variance.")
    boolean standardize;

    @Option(names = "--validation", defaultValue = "0",
            description = "Fraction of the training set held out, stratified (default: ${DEFAULT-VALUE}).")
    double validation;

    @Option(names = "--patience", defaultValue = "0",
            description = "Early stopping after this many evaluations without a better validation cost; 0 = off.")
    int patience;

    @Option(names = "--evaluate-every", defaultValue = "100", description = "Iterations between validation checks.")
    int evaluateEvery;

    @Option(names = "--solver", defaultValue = "auto",
            description = "auto, gram or direct: how full-batch gradient descent computes the first layer.")
    String solver;

    TrainingOptions toOptions() {
        return new TrainingOptions(layers, learningRate, iterations, seed,
                parseEnum(TrainingOptions.Optimizer.class, optimizer, "--optimizer"), batchSize, l2, mirror, standardize,
                validation, patience, evaluateEvery, TrainingOptions.AdamConfig.defaults(),
                parseEnum(TrainingOptions.Solver.class, solver, "--solver"));
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String value, String option) {
        try {
            return Enum.valueOf(type, value.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " must be one of "
                    + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase()).toList() + ", got " + value);
        }
    }
}
