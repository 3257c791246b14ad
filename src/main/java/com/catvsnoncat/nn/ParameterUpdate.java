package com.catvsnoncat.nn;

/** One optimiser step on one parameter array, given its gradient. */
interface ParameterUpdate {

    /** Called once per step before the parameter updates of that step. */
    default void beginStep() {
    }

    /** @param slot a stable index per parameter array, so stateful optimisers keep their moments apart */
    void apply(int slot, double[][] parameter, double[][] gradient);

    static ParameterUpdate gradientDescent(double learningRate) {
        return (slot, parameter, gradient) -> {
            for (int i = 0; i < parameter.length; i++) {
                double[] p = parameter[i];
                double[] g = gradient[i];
                for (int j = 0; j < p.length; j++) {
                    p[j] -= learningRate * g[j];
                }
            }
        };
    }
}
