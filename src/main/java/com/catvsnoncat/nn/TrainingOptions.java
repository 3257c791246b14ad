package com.catvsnoncat.nn;

import java.util.Arrays;

/**
 * Everything that decides a training run. {@link #reference()} is the reference implementation's setup; the rest
 * are opt-in improvements, each reproducible from the seed.
 *
 * @param layers           n_0 (inputs) .. n_L (= 1)
 * @param learningRate     step size, > 0
 * @param iterations       passes over the training set (with full batches, one gradient step each)
 * @param seed             numpy-compatible seed for initialisation, then for splits and shuffles
 * @param optimizer        plain gradient descent or Adam
 * @param batchSize        examples per step; 0 means the whole training set
 * @param l2               L2 penalty lambda (cost + lambda/(2m) sum ||W||^2); 0 for none
 * @param mirror           add every training picture mirrored left to right (validation pictures are not)
 * @param standardize      scale each input feature to zero mean and unit variance (fitted on the training part)
 * @param validationFraction share of the training set held out (stratified by label) to measure and stop on
 * @param patience         early stopping: evaluations without a better validation cost before stopping; 0 = off
 * @param evaluateEvery    iterations between validation evaluations
 * @param solver           how full-batch gradient descent computes the first layer (see {@link Solver})
 */
public record TrainingOptions(int[] layers, double learningRate, int iterations, long seed, Optimizer optimizer,
                              int batchSize, double l2, boolean mirror, boolean standardize, double validationFraction,
                              int patience, int evaluateEvery, AdamConfig adam, Solver solver) {

    public enum Optimizer { GD, ADAM }

    /**
     * GRAM carries the first layer as W1(0) + C X^T, which full-batch gradient descent keeps exact, and so works in
     * the m x m Gram matrix X^T X instead of the n_0-wide inputs; DIRECT is the straightforward pass; AUTO picks
     * GRAM when it applies (full batch, gradient descent, fewer examples than inputs).
     */
    public enum Solver { AUTO, GRAM, DIRECT }

    public record AdamConfig(double beta1, double beta2, double epsilon) {
        public static AdamConfig defaults() {
            return new AdamConfig(0.9, 0.999, 1e-8);
        }
    }

    public TrainingOptions {
        layers = layers.clone();
        if (layers.length < 2) {
            throw new IllegalArgumentException("need at least an input and an output layer, got " + Arrays.toString(layers));
        }
        for (int size : layers) {
            if (size <= 0) {
                throw new IllegalArgumentException("layer sizes must be positive, got " + Arrays.toString(layers));
            }
        }
        if (layers[layers.length - 1] != 1) {
            throw new IllegalArgumentException("the last layer must have 1 unit (the probability of cat), got "
                    + layers[layers.length - 1]);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
        }
        if (iterations <= 0) {
            throw new IllegalArgumentException("iterations must be positive, got " + iterations);
        }
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("seed must be between 0 and 4294967295, got " + seed);
        }
        if (batchSize < 0) {
            throw new IllegalArgumentException("batch size must be 0 (full batch) or positive, got " + batchSize);
        }
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("L2 lambda must be >= 0, got " + l2);
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction);
        }
        if (patience < 0 || evaluateEvery <= 0) {
            throw new IllegalArgumentException("patience must be >= 0 and evaluate-every > 0");
        }
        if (patience > 0 && validationFraction == 0) {
            throw new IllegalArgumentException("early stopping needs a validation split (--validation > 0)");
        }
        if (solver == Solver.GRAM && (optimizer != Optimizer.GD || batchSize != 0)) {
            throw new IllegalArgumentException("the Gram solver needs full-batch gradient descent");
        }
    }

    /** The reference: layers 12288,20,7,5,1, rate 0.0075, 2500 iterations, seed 1, full-batch gradient descent. */
    public static TrainingOptions reference() {
        return new TrainingOptions(new int[] {12288, 20, 7, 5, 1}, 0.0075, 2500, 1, Optimizer.GD, 0, 0, false, false, 0, 0,
                100, AdamConfig.defaults(), Solver.AUTO);
    }

    @Override
    public int[] layers() {
        return layers.clone();
    }

    public TrainingOptions withLayers(int... newLayers) {
        return new TrainingOptions(newLayers, learningRate, iterations, seed, optimizer, batchSize, l2, mirror, standardize,
                validationFraction, patience, evaluateEvery, adam, solver);
    }

    public TrainingOptions withIterations(int newIterations) {
        return new TrainingOptions(layers, learningRate, newIterations, seed, optimizer, batchSize, l2, mirror, standardize,
                validationFraction, patience, evaluateEvery, adam, solver);
    }

    public TrainingOptions withSolver(Solver newSolver) {
        return new TrainingOptions(layers, learningRate, iterations, seed, optimizer, batchSize, l2, mirror, standardize,
                validationFraction, patience, evaluateEvery, adam, newSolver);
    }

    public TrainingOptions withRegularisation(double newL2) {
        return new TrainingOptions(layers, learningRate, iterations, seed, optimizer, batchSize, newL2, mirror, standardize,
                validationFraction, patience, evaluateEvery, adam, solver);
    }

    public TrainingOptions withAdam(double newLearningRate, int newBatchSize) {
        return new TrainingOptions(layers, newLearningRate, iterations, seed, Optimizer.ADAM, newBatchSize, l2, mirror,
                standardize, validationFraction, patience, evaluateEvery, adam, Solver.AUTO);
    }

    public TrainingOptions withValidation(double fraction, int newPatience, int newEvaluateEvery) {
        return new TrainingOptions(layers, learningRate, iterations, seed, optimizer, batchSize, l2, mirror, standardize,
                fraction, newPatience, newEvaluateEvery, adam, solver);
    }

    public TrainingOptions withMirror(boolean newMirror) {
        return new TrainingOptions(layers, learningRate, iterations, seed, optimizer, batchSize, l2, newMirror,
                standardize, validationFraction, patience, evaluateEvery, adam, solver);
    }

    /** Whether this run can use the Gram solver, for m training examples. */
    boolean gramApplies(int trainingExamples) {
        return optimizer == Optimizer.GD && batchSize == 0 && trainingExamples < layers[0];
    }

    boolean usesGram(int trainingExamples) {
        return solver == Solver.GRAM || (solver == Solver.AUTO && gramApplies(trainingExamples));
    }
}
