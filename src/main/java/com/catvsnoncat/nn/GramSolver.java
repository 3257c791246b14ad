package com.catvsnoncat.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Full-batch gradient descent with the first layer carried in the space of the training examples.
 *
 * <p>Every update of W1 is -lr/m dZ1 X^T (plus, with L2, a shrink by d = 1 - lr lambda/m), so after t steps
 * W1 = d^t W1(0) + C X^T for a small h x m matrix C. Then Z1 = d^t W1(0) X + C (X^T X) + b1, where W1(0) X and the
 * m x m Gram matrix X^T X are computed once: each iteration costs h m^2 instead of 2 h n m multiply-adds, which for
 * the reference (m = 209, n = 12288) is about 60 times less. C G itself is carried along (C G <- d C G - lr/m dZ1 G),
 * so only the non-zero entries of dZ1 (the ReLU zeroes many) cost anything. W1 is materialised only when asked for.
 * This is exact algebra, not an approximation: the costs agree with the direct pass to rounding.
 */
final class GramSolver implements Trainer.Solver {
    private final Parameters parameters;
    private final Examples train;
    private final TrainingOptions options;
    private final Optimiser optimiser;
    private final double[][] initialW1;
    private final double[][] gram;
    private final double[][] initialZ1;
    private final double[][] coefficients;
    /** C G, kept up to date with C. */
    private final double[][] coefficientsGram;
    private final double initialW1Norm;
    private final double decay;
    private double decayPower = 1;
    private final double[][] validationGram;
    private final double[][] validationInitialZ1;
    private final Propagation.Pass pass;

    GramSolver(Parameters parameters, Examples train, Examples validation, TrainingOptions options) {
        this.parameters = parameters;
        this.train = train;
        this.options = options;
        this.optimiser = Optimiser.gradientDescent(options.learningRate());
        optimiser.initialise(parameters);
        int m = train.size();
        initialW1 = parameters.weights.get(0);
        // Both as dot products of the examples' rows (X^T X and (X^T W1(0)^T)^T): X itself is never formed.
        gram = MatrixKernels.gram(train.byExample());
        initialZ1 = MatrixKernels.transpose(MatrixKernels.multiplyByTranspose(train.byExample(), initialW1));
        coefficients = new double[initialW1.length][m];
        coefficientsGram = new double[initialW1.length][m];
        initialW1Norm = Parameters.squaredNorm(initialW1);
        decay = 1 - options.learningRate() * options.l2() / m;
        validationGram = validation == null ? null
                : MatrixKernels.multiplyByTranspose(train.byExample(), validation.byExample());
        validationInitialZ1 = validation == null ? null
                : MatrixKernels.transpose(MatrixKernels.multiplyByTranspose(validation.byExample(), initialW1));
        pass = Propagation.Pass.of(parameters.weights, m);
    }

    @Override
    public double step() {
        int m = train.size();
        double[][] cg = coefficientsGram;
        firstLayerZ(initialZ1, cg, pass.firstLayerZ());
        Propagation.forward(pass, parameters.weights, parameters.biases);
        double cost = Propagation.crossEntropy(pass.output(), train.labels());
        if (options.l2() > 0) {
            cost += options.l2() / (2.0 * m) * (firstLayerSquaredNorm(cg) + parameters.squaredWeightNorm(2));
        }
        Propagation.backward(pass, train.labels(), parameters.weights);

        double[][] dz1 = pass.dz(1);
        double step = options.learningRate() / m;
        decayAndStep(coefficients, cg, dz1, decay, step);
        MatrixKernels.accumulateSparse(-step, dz1, gram, cg);
        decayPower *= decay;
        // W1 moved above, in the space of the examples; b1 and the other layers step as usual.
        for (int layer = 2; layer <= parameters.depth(); layer++) {
            parameters.addWeightDecay(layer, pass.weightGradient(layer), options.l2(), m);
        }
        optimiser.step(parameters, pass.gradients(null));
        return cost;
    }

    /**
     * C <- d C - step dZ1 and C G <- d C G (the sparse update adds -step dZ1 G next). A method of its own, like every
     * loop of a step: a loop in {@link #step} itself got it compiled three times by C2 (two on-stack replacements and
     * a normal compilation, each inlining the whole pass), the JIT's largest work in a training run.
     */
    private static void decayAndStep(double[][] coefficients, double[][] cg, double[][] dz1, double decay,
                                     double step) {
        for (int i = 0; i < coefficients.length; i++) {
            double[] c = coefficients[i];
            double[] dz = dz1[i];
            double[] cgRow = cg[i];
            for (int j = 0; j < c.length; j++) {
                c[j] = decay * c[j] - step * dz[j];
                cgRow[j] *= decay;
            }
        }
    }

    /** Z1 = d^t W1(0) X + C G + b1, for the training examples or (with their own G and W1(0) X) others. */
    private void firstLayerZ(double[][] initial, double[][] cg, double[][] z1) {
        double[][] b1 = parameters.biases.get(0);
        for (int i = 0; i < cg.length; i++) {
            double[] row = z1[i];
            double[] cgRow = cg[i];
            double[] start = initial[i];
            double b = b1[i][0];
            for (int j = 0; j < row.length; j++) {
                row[j] = cgRow[j] + decayPower * start[j] + b;
            }
        }
    }

    /** ||d^t W1(0) + C X^T||^2 = d^2t ||W1(0)||^2 + 2 d^t <C, W1(0) X> + <C G, C>. */
    private double firstLayerSquaredNorm(double[][] cg) {
        double cross = 0;
        double quadratic = 0;
        for (int i = 0; i < coefficients.length; i++) {
            for (int j = 0; j < coefficients[i].length; j++) {
                cross += coefficients[i][j] * initialZ1[i][j];
                quadratic += coefficients[i][j] * cg[i][j];
            }
        }
        return decayPower * decayPower * initialW1Norm + 2 * decayPower * cross + quadratic;
    }

    @Override
    public double[] validationProbabilities() {
        Propagation.Pass validation = Propagation.Pass.of(parameters.weights, validationGram[0].length);
        firstLayerZ(validationInitialZ1, product(coefficients, validationGram), validation.firstLayerZ());
        Propagation.forward(validation, parameters.weights, parameters.biases);
        return validation.output();
    }

    /** W1 = d^t W1(0) + C X^T, with the other layers as they are. */
    @Override
    public Parameters parameters() {
        double[][] w1 = product(coefficients, train.byExample());
        for (int i = 0; i < w1.length; i++) {
            for (int j = 0; j < w1[i].length; j++) {
                w1[i][j] += decayPower * initialW1[i][j];
            }
        }
        List<double[][]> weights = new ArrayList<>(parameters.weights);
        weights.set(0, w1);
        return new Parameters(weights, parameters.biases);
    }

    private static double[][] product(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        MatrixKernels.accumulate(a, false, b, c);
        return c;
    }
}
