package com.catvsnoncat.nn;

/**
 * The straightforward forward and backward pass, for any optimiser and batch size: Z1 = W1 X + b1 and
 * dW1 = dZ1 X^T / m on the fast kernels. The first layer's dA (unused) is not computed.
 */
final class DirectSolver implements Trainer.Solver {
    private final Parameters parameters;
    private final Examples train;
    private final Examples validation;
    private final TrainingOptions options;
    private final NumpyRandom random;
    private final Optimiser optimiser;

    DirectSolver(Parameters parameters, Examples train, Examples validation, TrainingOptions options,
                 NumpyRandom random) {
        this.parameters = parameters;
        this.train = train;
        this.validation = validation;
        this.options = options;
        this.random = random;
        this.optimiser = options.optimizer() == TrainingOptions.Optimizer.ADAM
                ? new Adam(options.learningRate(), options.adam())
                : Optimiser.gradientDescent(options.learningRate());
        optimiser.initialise(parameters);
    }

    @Override
    public double step() {
        int m = train.size();
        int batch = options.batchSize();
        if (batch == 0 || batch >= m) {
            return gradientStep(train);
        }
        int[] order = random.permutation(m);
        double weightedCost = 0;
        for (int from = 0; from < m; from += batch) {
            int to = Math.min(m, from + batch);
            weightedCost += gradientStep(train.select(order, from, to)) * (to - from);
        }
        return weightedCost / m;
    }

    private double gradientStep(Examples batch) {
        int m = batch.size();
        Propagation.Pass pass = Propagation.forward(batch.byFeature(), parameters.weights, parameters.biases);
        double cost = Propagation.crossEntropy(pass.output(), batch.labels());
        if (options.l2() > 0) {
            cost += options.l2() / (2.0 * m) * parameters.squaredWeightNorm(1);
        }
        Propagation.backward(pass, batch.labels(), parameters.weights);
        double[][] dz1 = pass.dz(1);
        double[][] dW1 = new double[dz1.length][batch.byExample()[0].length];
        MatrixKernels.accumulate(dz1, false, batch.byExample(), dW1);
        ElementWise.scale(dW1, 1.0 / m);
        Optimiser.Gradients gradients = pass.gradients(dW1);
        for (int layer = 1; layer <= parameters.depth(); layer++) {
            parameters.addWeightDecay(layer, gradients.weights()[layer - 1], options.l2(), m);
        }
        optimiser.step(parameters, gradients);
        return cost;
    }

    @Override
    public double[] validationProbabilities() {
        return Propagation.forward(validation.byFeature(), parameters.weights, parameters.biases).output();
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }
}
