package com.catvsnoncat.nn;

/**
 * How a training step moves the parameters along their gradients, with a lifecycle (as Tribuo's
 * StochasticGradientOptimiser): {@link #initialise} allocates whatever state the optimiser keeps, named and shaped
 * from the parameters up front (and starts it over when called again), and each {@link #step} applies one set of
 * gradients in place.
 *
 * <p>There is no finalise. Tribuo's {@code finalise} writes back parameters that differ from the last step's (the
 * running average of ParameterAveraging or Pegasos). Gradient descent and Adam train the parameters themselves: the
 * network is the parameters after the last step (the trainer copies them out, see {@code Parameters.toNetwork}), and
 * Adam's moments go with the solver that holds them. A finalise would do nothing in either; it comes with the first
 * optimiser whose result is not its last step.
 */
interface Optimiser {

    /** Allocates the optimiser's state for these parameters; called once, before the first step. */
    void initialise(Parameters parameters);

    /** Applies one step's gradients to the parameters they were computed for. */
    void step(Parameters parameters, Gradients gradients);

    /**
     * dW_l and db_l at index l - 1. A null weight gradient leaves that layer's weights alone: the Gram solver moves W1
     * itself, in the space of the examples.
     */
    record Gradients(double[][][] weights, double[][][] biases) {
    }

    /** Plain gradient descent: p -= rate * g; no state. */
    static Optimiser gradientDescent(double learningRate) {
        return new Optimiser() {
            @Override
            public void initialise(Parameters parameters) {
            }

            @Override
            public void step(Parameters parameters, Gradients gradients) {
                for (int l = 0; l < parameters.depth(); l++) {
                    if (gradients.weights()[l] != null) {
                        ElementWise.subtractScaled(parameters.weights.get(l), learningRate, gradients.weights()[l]);
                    }
                    ElementWise.subtractScaled(parameters.biases.get(l), learningRate, gradients.biases()[l]);
                }
            }
        };
    }
}
