package com.catvsnoncat.nn;

import java.util.HashMap;
import java.util.Map;

/** Adam (Kingma and Ba, 2015) with bias-corrected first and second moments. */
final class Adam implements ParameterUpdate {
    private final double learningRate;
    private final TrainingOptions.AdamConfig settings;
    private final Map<Integer, double[][][]> moments = new HashMap<>();
    private int step;

    Adam(double learningRate, TrainingOptions.AdamConfig settings) {
        this.learningRate = learningRate;
        this.settings = settings;
    }

    @Override
    public void beginStep() {
        step++;
    }

    @Override
    public void apply(int slot, double[][] parameter, double[][] gradient) {
        double[][][] state = moments.computeIfAbsent(slot,
                s -> new double[][][] {new double[parameter.length][parameter[0].length],
                    new double[parameter.length][parameter[0].length]});
        double beta1 = settings.beta1();
        double beta2 = settings.beta2();
        double firstCorrection = 1 - Math.pow(beta1, step);
        double secondCorrection = 1 - Math.pow(beta2, step);
        for (int i = 0; i < parameter.length; i++) {
            double[] p = parameter[i];
            double[] g = gradient[i];
            double[] m = state[0][i];
            double[] v = state[1][i];
            for (int j = 0; j < p.length; j++) {
                m[j] = beta1 * m[j] + (1 - beta1) * g[j];
                v[j] = beta2 * v[j] + (1 - beta2) * g[j] * g[j];
                p[j] -= learningRate * (m[j] / firstCorrection) / (Math.sqrt(v[j] / secondCorrection) + settings.epsilon());
            }
        }
    }
}
