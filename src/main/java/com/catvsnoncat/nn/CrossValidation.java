package com.catvsnoncat.nn;

import com.catvsnoncat.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

/**
 * Stratified k-fold cross-validation: trains k times, each time holding out one fold, and averages the held-out
 * cost, accuracy and balanced accuracy at every evaluation point, so a setting and its number of iterations can be chosen on the
 * training set alone.
 */
public final class CrossValidation {
    private CrossValidation() {
    }

    /**
     * Mean and spread over the folds at one evaluation point.
     *
     * @param balancedAccuracies each fold's balanced accuracy, in fold order
     */
    public record Point(int iteration, double meanCost, double meanAccuracy, double accuracyStandardDeviation,
                        double meanBalancedAccuracy, double[] balancedAccuracies) {
        /**
         * The standard error of the mean balanced accuracy: the folds' sample standard deviation over the square
         * root of their number (what the one-standard-error rule compares settings by).
         */
        public double balancedAccuracyStandardError() {
            int folds = balancedAccuracies.length;
            double squares = 0;
            for (double value : balancedAccuracies) {
                squares += (value - meanBalancedAccuracy) * (value - meanBalancedAccuracy);
            }
            return Math.sqrt(squares / (folds - 1)) / Math.sqrt(folds);
        }
    }

    public static List<Point> run(Dataset data, TrainingOptions options, int folds) {
        return run(data.labels(), options, folds, (training, held) -> Trainer.train(data.select(training),
                data.select(held), options, TrainingListener.NONE));
    }

    /** The same on precomputed features: each fold trains on its pictures' features and their mirrors'. */
    public static List<Point> run(FeatureSet features, TrainingOptions options, int folds) {
        TrainingOptions onFeatures = FeatureSet.networkOptions(options);
        return run(features.labels(), options, folds, (training, held) -> Trainer.train(features.training(training),
                features.held(held), onFeatures, TrainingListener.NONE));
    }

    private static List<Point> run(int[] labels, TrainingOptions options, int folds,
                                   BiFunction<int[], int[], TrainingResult> trainFold) {
        if (folds < 2 || folds > labels.length) {
            throw new IllegalArgumentException("folds must be between 2 and the number of examples, got " + folds);
        }
        int[] fold = assignFolds(labels, folds, new NumpyRandom(options.seed()));
        List<List<TrainingResult.ValidationPoint>> perFold = new ArrayList<>();
        for (int k = 0; k < folds; k++) {
            int held = k;
            int[] training = IntStream.range(0, labels.length).filter(i -> fold[i] != held).toArray();
            int[] validation = IntStream.range(0, labels.length).filter(i -> fold[i] == held).toArray();
            perFold.add(trainFold.apply(training, validation).validationCosts());
        }
        List<Point> points = new ArrayList<>();
        for (int e = 0; e < perFold.get(0).size(); e++) {
            double cost = 0;
            double accuracy = 0;
            double squares = 0;
            double balanced = 0;
            double[] balancedByFold = new double[folds];
            for (int k = 0; k < folds; k++) {
                TrainingResult.ValidationPoint point = perFold.get(k).get(e);
                cost += point.cost();
                accuracy += point.accuracy();
                squares += point.accuracy() * point.accuracy();
                balanced += point.balancedAccuracy();
                balancedByFold[k] = point.balancedAccuracy();
            }
            double mean = accuracy / folds;
            points.add(new Point(perFold.get(0).get(e).iteration(), cost / folds, mean,
                    Math.sqrt(Math.max(0, squares / folds - mean * mean)), balanced / folds, balancedByFold));
        }
        return points;
    }

    /** Fold of each example: within each class, a seeded shuffle dealt round-robin. */
    static int[] assignFolds(int[] labels, int folds, NumpyRandom random) {
        int[] order = random.permutation(labels.length);
        int[] fold = new int[labels.length];
        int[] dealt = new int[2];
        for (int index : order) {
            fold[index] = dealt[labels[index]]++ % folds;
        }
        return fold;
    }
}
