package com.catvsnoncat.nn;

import com.catvsnoncat.data.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;

/**
 * Trains a network: splits off a validation part, fits the input standardisation, initialises the parameters
 * exactly as the reference does, and runs the chosen solver, keeping the cost curve and, with early stopping, the
 * parameters that did best on validation.
 */
public final class Trainer {
    private Trainer() {
    }

    public static TrainingResult train(Dataset data, TrainingOptions options, TrainingListener listener) {
        int[] layers = options.layers();
        checkInputs(options, data);
        long start = System.nanoTime();
        // Initialisation draws first, exactly like np.random.seed(s) followed by the reference's randn calls;
        // the same stream then drives splits and shuffles.
        NumpyRandom random = new NumpyRandom(options.seed());
        Parameters parameters = Parameters.initialise(layers, random);

        Dataset training = data;
        Dataset validation = null;
        if (options.validationFraction() > 0) {
            int[][] split = stratifiedSplit(data.labels(), options.validationFraction(), random);
            training = data.select(split[0]);
            validation = data.select(split[1]);
        }
        return run(training, validation, options, listener, random, parameters, start);
    }

    /** Inputs and examples of {@link #warmUp}'s data: the Gram solver's shape (fewer examples than inputs). */
    private static final int WARM_UP_INPUTS = 256;
    private static final int WARM_UP_EXAMPLES = 64;
    private static final int WARM_UP_ITERATIONS = 500;

    /**
     * Runs the training loop these options will run, on small synthetic data, and throws the result away: called on
     * a second core while the real data is read, it gets the loop's kernels compiled before the real loop starts. A
     * fresh JVM otherwise runs the first few hundred iterations interpreted, and those took about a third of the
     * reference loop. Deterministic and side-effect free; what it computes never reaches a model.
     */
    public static void warmUp(TrainingOptions options) {
        int[] layers = options.layers().clone();
        layers[0] = WARM_UP_INPUTS;
        double[][] inputs = new double[WARM_UP_EXAMPLES][WARM_UP_INPUTS];
        int[] labels = new int[WARM_UP_EXAMPLES];
        NumpyRandom random = new NumpyRandom(options.seed());
        for (int e = 0; e < WARM_UP_EXAMPLES; e++) {
            for (int i = 0; i < WARM_UP_INPUTS; i++) {
                inputs[e][i] = random.nextDouble();
            }
            labels[e] = e % 2;
        }
        TrainingOptions small = options.withLayers(layers)
                .withIterations(Math.min(options.iterations(), WARM_UP_ITERATIONS));
        train(new Dataset(new Array2DRowRealMatrix(inputs, false), labels), null, small, TrainingListener.NONE);
    }

    /**
     * Trains on {@code training} and evaluates on a given {@code validation} set (a cross-validation fold, say)
     * every {@code evaluateEvery} iterations; {@code validationFraction} of the options is ignored.
     */
    public static TrainingResult train(Dataset training, Dataset validation, TrainingOptions options,
                                       TrainingListener listener) {
        checkInputs(options, training);
        long start = System.nanoTime();
        NumpyRandom random = new NumpyRandom(options.seed());
        Parameters parameters = Parameters.initialise(options.layers(), random);
        return run(training, validation, options, listener, random, parameters, start);
    }

    /** Refuses layer sizes whose first size is not the data's number of inputs. */
    public static void checkInputs(TrainingOptions options, Dataset data) {
        int[] layers = options.layers();
        if (layers[0] != data.inputSize()) {
            throw new IllegalArgumentException("layer sizes " + join(layers) + " do not match the data: each example has "
                    + data.inputSize() + " inputs, so the first size must be " + data.inputSize());
        }
    }

    private static TrainingResult run(Dataset training, Dataset validation, TrainingOptions options,
                                      TrainingListener listener, NumpyRandom random, Parameters parameters,
                                      long start) {
        if (training.size() == 0) {
            throw new IllegalArgumentException("no training examples left after the validation split");
        }
        if (options.mirror()) {
            training = training.withMirrors();
        }
        Standardizer standardizer = options.standardize() ? fitStandardizer(training) : null;
        Examples train = Examples.of(training, standardizer);
        Examples held = validation == null ? null : Examples.of(validation, standardizer);

        boolean gram = options.usesGram(train.size());
        Solver solver = gram
                ? new GramSolver(parameters, train, held, options)
                : new DirectSolver(parameters, train, held, options, random);

        double[] costs = new double[options.iterations()];
        List<TrainingResult.ValidationPoint> validationPoints = new ArrayList<>();
        int iterationsRun = 0;
        int bestIteration = options.iterations() - 1;
        double bestValidationCost = Double.POSITIVE_INFINITY;
        Double bestValidationAccuracy = null;
        Parameters best = null;
        int evaluationsWithoutImprovement = 0;
        for (int iteration = 0; iteration < options.iterations(); iteration++) {
            double cost = solver.step();
            if (!Double.isFinite(cost)) {
                throw new IllegalStateException("training diverged at iteration " + iteration + " (cost " + cost
                        + "); try a smaller learning rate");
            }
            costs[iteration] = cost;
            iterationsRun++;
            listener.iterationDone(iteration, options.iterations(), cost);
            boolean last = iteration == options.iterations() - 1;
            if (held != null && ((iteration + 1) % options.evaluateEvery() == 0 || last)) {
                double[] probabilities = solver.validationProbabilities();
                double validationCost = Propagation.crossEntropy(probabilities, held.labels());
                Metrics metrics = Metrics.of(probabilities, held.labels());
                double accuracy = metrics.accuracy();
                validationPoints.add(new TrainingResult.ValidationPoint(iteration, validationCost, accuracy,
                        metrics.balancedAccuracy()));
                if (validationCost < bestValidationCost) {
                    bestValidationCost = validationCost;
                    bestValidationAccuracy = accuracy;
                    bestIteration = iteration;
                    evaluationsWithoutImprovement = 0;
                    if (options.patience() > 0) {
                        best = solver.parameters().copy();
                    }
                } else if (options.patience() > 0 && ++evaluationsWithoutImprovement >= options.patience()) {
                    break;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Parameters kept = best != null ? best : solver.parameters();
        if (best == null) {
            bestIteration = iterationsRun - 1;
            bestValidationAccuracy = validationPoints.isEmpty() ? null
                    : validationPoints.get(validationPoints.size() - 1).accuracy();
        }
        Network network = kept.toNetwork();
        double trainingAccuracy = Metrics.of(network.predict(train.byExample()), train.labels()).accuracy();
        return new TrainingResult(network, Optional.ofNullable(standardizer),
                Arrays.copyOf(costs, iterationsRun), validationPoints, bestIteration,
                gram ? TrainingOptions.Solver.GRAM : TrainingOptions.Solver.DIRECT, seconds, train.size(),
                held == null ? 0 : held.size(), trainingAccuracy, Optional.ofNullable(bestValidationAccuracy));
    }

    /** One iteration at a time over fixed training data. */
    interface Solver {
        /** Runs one iteration and returns its training cost (measured before the update, as the reference does). */
        double step();

        double[] validationProbabilities();

        /** The current parameters, materialised. */
        Parameters parameters();
    }

    /** Stratified by label so that a small validation part still holds both classes in proportion. */
    static int[][] stratifiedSplit(int[] labels, double fraction, NumpyRandom random) {
        int[] order = random.permutation(labels.length);
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        for (int label = 0; label <= 1; label++) {
            List<Integer> members = new ArrayList<>();
            for (int index : order) {
                if (labels[index] == label) {
                    members.add(index);
                }
            }
            int held = (int) Math.round(members.size() * fraction);
            validation.addAll(members.subList(0, held));
            train.addAll(members.subList(held, members.size()));
        }
        return new int[][] {train.stream().mapToInt(Integer::intValue).sorted().toArray(),
            validation.stream().mapToInt(Integer::intValue).sorted().toArray()};
    }

    static Standardizer fitStandardizer(Dataset training) {
        double[][] rows = training.rows();
        int features = training.inputSize();
        double[] mean = new double[features];
        double[] scale = new double[features];
        for (double[] row : rows) {
            for (int j = 0; j < features; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < features; j++) {
            mean[j] /= rows.length;
        }
        for (double[] row : rows) {
            for (int j = 0; j < features; j++) {
                double d = row[j] - mean[j];
                scale[j] += d * d;
            }
        }
        for (int j = 0; j < features; j++) {
            double std = Math.sqrt(scale[j] / rows.length);
            // A constant feature carries no information; leave it unscaled rather than divide by ~0.
            scale[j] = std > 1e-8 ? std : 1.0;
        }
        return new Standardizer(mean, scale);
    }

    private static String join(int[] layers) {
        return String.join(",", Arrays.stream(layers).mapToObj(Integer::toString).toList());
    }
}
