package com.catvsnoncat.nn;

import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.ReferenceData;
import com.catvsnoncat.data.Dataset;
import com.catvsnoncat.data.Hdf5Datasets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The reference run (numpy_l_layer.py with its defaults, seed 1) reproduced to 6 decimals by both solvers. */
class ReferenceParityTest {
    /** The costs printed by ../shared/peers/numpy_l_layer.py (and the course notebook), every 100 iterations. */
    private static final double[] REFERENCE_COSTS = {0.771749, 0.672053, 0.648263, 0.611507, 0.567047, 0.540138,
        0.52793, 0.465477, 0.369126, 0.391747, 0.315187, 0.2727, 0.237419, 0.199601, 0.189263, 0.161189, 0.148214,
        0.137775, 0.12974, 0.121225, 0.113821, 0.107839, 0.102855, 0.100897, 0.092878};

    private static Dataset train;
    private static Dataset test;

    @BeforeAll
    static void load() {
        train = Hdf5Datasets.read(ReferenceData.dir().resolve("train_catvnoncat.h5"));
        test = Hdf5Datasets.read(ReferenceData.dir().resolve("test_catvnoncat.h5"));
    }

    @ParameterizedTest
    @EnumSource(value = TrainingOptions.Solver.class, names = {"GRAM", "DIRECT"})
    void reproducesTheReferenceCostsAndAccuracies(TrainingOptions.Solver solver) {
        TrainingResult result = Trainer.train(train, TrainingOptions.reference().withSolver(solver), TrainingListener.NONE);

        assertThat(result.solver()).isEqualTo(solver);
        Map<Integer, Double> actual = new TreeMap<>();
        Map<Integer, Double> expected = new TreeMap<>();
        for (int i = 0; i < REFERENCE_COSTS.length; i++) {
            actual.put(i * 100, round6(result.costs()[i * 100]));
            expected.put(i * 100, REFERENCE_COSTS[i]);
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(Metrics.of(result.network().predict(train.examples()), train.labels()).accuracy())
                .isEqualTo(206.0 / 209);
        assertThat(Metrics.of(result.network().predict(test.examples()), test.labels()).accuracy()).isEqualTo(0.80);
    }

    private static double round6(double value) {
        return Math.round(value * 1e6) / 1e6;
    }
}
