package com.catvsnoncat.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.catvsnoncat.data.Dataset;
import com.catvsnoncat.data.InputVectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The optimisers' lifecycle: state allocated by initialise from the parameters, updates as the papers write them. */
class OptimiserTest {
    private static final TrainingOptions.AdamConfig ADAM = TrainingOptions.AdamConfig.defaults();

    /** One layer: W = [w1 w2], b = [b]. */
    private static Parameters parameters(double w1, double w2, double b) {
        return new Parameters(new ArrayList<>(List.<double[][]>of(new double[][] {{w1, w2}})),
                new ArrayList<>(List.<double[][]>of(new double[][] {{b}})));
    }

    private static Optimiser.Gradients gradients(double gw1, double gw2, double gb) {
        return new Optimiser.Gradients(new double[][][] {{{gw1, gw2}}}, new double[][][] {{{gb}}});
    }

    @Test
    void adamsFirstStepMovesEveryParameterByTheLearningRateAgainstItsGradient() {
        // With both moments bias-corrected, step 1 is lr * g / (|g| + eps): the size of the gradient drops out.
        Parameters p = parameters(1, 1, 1);
        Adam adam = new Adam(0.01, ADAM);
        adam.initialise(p);

        adam.step(p, gradients(5, -0.002, 300));

        assertThat(p.weights.get(0)[0][0]).isCloseTo(0.99, within(1e-9));
        assertThat(p.weights.get(0)[0][1]).isCloseTo(1.01, within(1e-5));
        assertThat(p.biases.get(0)[0][0]).isCloseTo(0.99, within(1e-9));
    }

    @Test
    void adamsSecondStepUsesTheBiasCorrectedRunningMoments() {
        double lr = 0.01;
        double b1 = ADAM.beta1();
        double b2 = ADAM.beta2();
        Parameters p = parameters(0, 0, 0);
        Adam adam = new Adam(lr, ADAM);
        adam.initialise(p);

        adam.step(p, gradients(2, 0, 0));
        double afterFirst = p.weights.get(0)[0][0];
        adam.step(p, gradients(-1, 0, 0));

        double m = b1 * (1 - b1) * 2 + (1 - b1) * -1;
        double v = b2 * (1 - b2) * 4 + (1 - b2) * 1;
        double expected = afterFirst - lr * (m / (1 - b1 * b1)) / (Math.sqrt(v / (1 - b2 * b2)) + ADAM.epsilon());
        assertThat(p.weights.get(0)[0][0]).isCloseTo(expected, within(1e-15));
    }

    @Test
    void initialiseStartsTheStateOverFromTheParametersGiven() {
        Adam used = new Adam(0.01, ADAM);
        Parameters first = parameters(1, 2, 3);
        used.initialise(first);
        for (int i = 0; i < 5; i++) {
            used.step(first, gradients(1, -1, 2));
        }
        Parameters again = parameters(0.5, 0.5, 0.5);
        Parameters fresh = parameters(0.5, 0.5, 0.5);
        Adam unused = new Adam(0.01, ADAM);

        used.initialise(again);
        unused.initialise(fresh);
        used.step(again, gradients(0.3, 0.1, -0.2));
        unused.step(fresh, gradients(0.3, 0.1, -0.2));

        assertThat(again.weights.get(0)).isDeepEqualTo(fresh.weights.get(0));
        assertThat(again.biases.get(0)).isDeepEqualTo(fresh.biases.get(0));
    }

    @Test
    void gradientDescentLeavesWeightsWithoutAGradientAlone() {
        Parameters p = parameters(1, 1, 1);
        Optimiser descent = Optimiser.gradientDescent(0.5);
        descent.initialise(p);

        descent.step(p, new Optimiser.Gradients(new double[][][] {null}, new double[][][] {{{2}}}));

        assertThat(p.weights.get(0)).isDeepEqualTo(new double[][] {{1, 1}});
        assertThat(p.biases.get(0)[0][0]).isEqualTo(0.0);
    }

    /**
     * Why there is no finalise: the trained network is exactly the parameters after the last step, so neither
     * optimiser has anything to write back at the end (see {@link Optimiser}).
     */
    @Test
    void theTrainedNetworkIsTheParametersAfterTheLastStep() {
        Dataset data = TrainerTest.synthetic(40, 3);
        TrainingOptions options = TrainingOptions.reference().withLayers(InputVectors.SIZE, 4, 1).withIterations(7)
                .withAdam(0.001, 16);
        NumpyRandom random = new NumpyRandom(options.seed());
        Parameters parameters = Parameters.initialise(options.layers(), random);
        Examples train = Examples.of(data, options.standardize() ? Trainer.fitStandardizer(data) : null);
        DirectSolver solver = new DirectSolver(parameters, train, null, options, random);
        for (int i = 0; i < options.iterations(); i++) {
            solver.step();
        }

        Network trained = Trainer.train(data, options, TrainingListener.NONE).network();

        for (int l = 0; l < parameters.depth(); l++) {
            assertThat(trained.weightArrays().get(l)).isDeepEqualTo(parameters.weights.get(l));
            assertThat(trained.biasArrays().get(l)).isDeepEqualTo(parameters.biases.get(l));
        }
    }
}
