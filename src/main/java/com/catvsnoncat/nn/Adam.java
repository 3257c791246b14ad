package com.catvsnoncat.nn;

/** Adam (Kingma and Ba, 2015) with bias-corrected first and second moments. */
final class Adam implements Optimiser {
    private final double learningRate;
    private final TrainingOptions.AdamConfig settings;
    /** Per layer (index l - 1), allocated by {@link #initialise}. */
    private Moments[] weightMoments;
    private Moments[] biasMoments;
    private int steps;

    /** The running means of one parameter array's gradient and squared gradient, shaped like the array. */
    private record Moments(double[][] first, double[][] second) {
        static Moments shapedLike(double[][] parameter) {
            return new Moments(new double[parameter.length][parameter[0].length],
                    new double[parameter.length][parameter[0].length]);
        }
    }

    Adam(double learningRate, TrainingOptions.AdamConfig settings) {
        this.learningRate = learningRate;
        this.settings = settings;
    }

    @Override
    public void initialise(Parameters parameters) {
        weightMoments = new Moments[parameters.depth()];
        biasMoments = new Moments[parameters.depth()];
        for (int l = 0; l < parameters.depth(); l++) {
            weightMoments[l] = Moments.shapedLike(parameters.weights.get(l));
            biasMoments[l] = Moments.shapedLike(parameters.biases.get(l));
        }
        steps = 0;
    }

    @Override
    public void step(Parameters parameters, Gradients gradients) {
        steps++;
        for (int l = 0; l < parameters.depth(); l++) {
            if (gradients.weights()[l] != null) {
                update(parameters.weights.get(l), gradients.weights()[l], weightMoments[l]);
            }
            update(parameters.biases.get(l), gradients.biases()[l], biasMoments[l]);
        }
    }

    private void update(double[][] parameter, double[][] gradient, Moments moments) {
        double beta1 = settings.beta1();
        double beta2 = settings.beta2();
        double firstCorrection = 1 - Math.pow(beta1, steps);
        double secondCorrection = 1 - Math.pow(beta2, steps);
        for (int i = 0; i < parameter.length; i++) {
            double[] p = parameter[i];
            double[] g = gradient[i];
            double[] m = moments.first()[i];
            double[] v = moments.second()[i];
            for (int j = 0; j < p.length; j++) {
                m[j] = beta1 * m[j] + (1 - beta1) * g[j];
                v[j] = beta2 * v[j] + (1 - beta2) * g[j] * g[j];
                p[j] -= learningRate * (m[j] / firstCorrection) / (Math.sqrt(v[j] / secondCorrection) + settings.epsilon());
            }
        }
    }
}
