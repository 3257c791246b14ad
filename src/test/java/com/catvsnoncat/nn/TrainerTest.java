package com.catvsnoncat.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.catvsnoncat.data.Dataset;
import com.catvsnoncat.data.InputVectors;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.junit.jupiter.api.Test;

/** The trainer's options on small synthetic data, where every run takes milliseconds. */
class TrainerTest {
    /** 80 examples of 12288 inputs: cats are brighter on the left half, with noise. */
    private static final Dataset DATA = synthetic(80, 7);

    private static TrainingOptions small() {
        return TrainingOptions.reference().withLayers(InputVectors.SIZE, 6, 3, 1).withIterations(60);
    }

    @Test
    void gramAndDirectSolversGiveTheSameCostsWithL2AndValidation() {
        TrainingOptions options = small().withRegularisation(0.7).withValidation(0.25, 0, 10);
        TrainingResult gram = Trainer.train(DATA, options.withSolver(TrainingOptions.Solver.GRAM), TrainingListener.NONE);
        TrainingResult direct = Trainer.train(DATA, options.withSolver(TrainingOptions.Solver.DIRECT), TrainingListener.NONE);

        for (int i = 0; i < gram.costs().length; i++) {
            assertThat(gram.costs()[i]).isCloseTo(direct.costs()[i], org.assertj.core.data.Offset.offset(1e-10));
        }
        for (int i = 0; i < gram.validationCosts().size(); i++) {
            assertThat(gram.validationCosts().get(i).cost())
                    .isCloseTo(direct.validationCosts().get(i).cost(), org.assertj.core.data.Offset.offset(1e-10));
        }
        double[] gramOut = gram.network().predict(DATA.examples());
        double[] directOut = direct.network().predict(DATA.examples());
        for (int i = 0; i < gramOut.length; i++) {
            assertThat(gramOut[i]).isCloseTo(directOut[i], org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void autoPicksGramForFullBatchGradientDescentAndDirectOtherwise() {
        assertThat(Trainer.train(DATA, small().withIterations(2), TrainingListener.NONE).solver())
                .isEqualTo(TrainingOptions.Solver.GRAM);
        assertThat(Trainer.train(DATA, small().withIterations(2).withAdam(0.001, 16), TrainingListener.NONE).solver())
                .isEqualTo(TrainingOptions.Solver.DIRECT);
    }

    @Test
    void adamWithMiniBatchesLearnsAndIsReproducibleFromTheSeed() {
        TrainingOptions options = small().withAdam(0.00003, 16).withIterations(30);
        TrainingResult first = Trainer.train(DATA, options, TrainingListener.NONE);
        TrainingResult second = Trainer.train(DATA, options, TrainingListener.NONE);

        assertThat(first.costs()).containsExactly(second.costs());
        assertThat(first.costs()[29]).isLessThan(first.costs()[0] * 0.5);
        assertThat(first.trainingAccuracy()).isGreaterThan(0.9);
    }

    @Test
    void standardisationIsFittedOnTrainingDataAndTravelsWithTheNetwork() {
        TrainingResult result = Trainer.train(DATA, new TrainingOptions(small().layers(), 0.001, 60, 1,
                TrainingOptions.Optimizer.GD, 0, 0, false, true, 0, 0, 10, TrainingOptions.AdamConfig.defaults(),
                TrainingOptions.Solver.AUTO), TrainingListener.NONE);
        Standardizer standardizer = result.standardizer().orElseThrow();
        double mean0 = 0;
        for (int i = 0; i < DATA.size(); i++) {
            mean0 += DATA.examples().getEntry(i, 0) / DATA.size();
        }
        assertThat(standardizer.mean()[0]).isCloseTo(mean0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(result.costs()[59]).isLessThan(result.costs()[0]);
    }

    @Test
    void earlyStoppingKeepsTheBestValidationPoint() {
        TrainingOptions options = small().withIterations(400).withValidation(0.3, 2, 5)
                .withSolver(TrainingOptions.Solver.GRAM);
        TrainingResult result = Trainer.train(DATA, options, TrainingListener.NONE);

        double best = result.validationCosts().stream().mapToDouble(TrainingResult.ValidationPoint::cost).min().orElseThrow();
        TrainingResult.ValidationPoint kept = result.validationCosts().stream()
                .filter(p -> p.iteration() == result.bestIteration()).findFirst().orElseThrow();
        assertThat(kept.cost()).isEqualTo(best);
        if (result.stoppedEarly(options)) {
            assertThat(result.iterationsRun()).isEqualTo(result.bestIteration() + 1 + 2 * 5);
        }
    }

    @Test
    void mirroringDoublesTheTrainingExamples() {
        TrainingResult result = Trainer.train(DATA, small().withIterations(2).withMirror(true).withValidation(0.25, 0, 1),
                TrainingListener.NONE);
        assertThat(result.trainingExamples()).isEqualTo(2 * (DATA.size() - result.validationExamples()));
    }

    @Test
    void refusesLayerSizesThatDoNotMatchTheData() {
        assertThatThrownBy(() -> Trainer.train(DATA, small().withLayers(100, 5, 1), TrainingListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("do not match the data: each example has 12288 inputs");
    }

    @Test
    void refusesOptionsThatCannotWork() {
        assertThatThrownBy(() -> new TrainingOptions(new int[] {4, 1}, 0, 10, 1, TrainingOptions.Optimizer.GD, 0, 0,
                false, false, 0, 0, 10, TrainingOptions.AdamConfig.defaults(), TrainingOptions.Solver.AUTO))
                .hasMessageContaining("learning rate must be a positive number");
        assertThatThrownBy(() -> small().withLayers(12288, 5, 2)).hasMessageContaining("last layer must have 1 unit");
        assertThatThrownBy(() -> small().withValidation(0, 3, 10)).hasMessageContaining("early stopping needs");
    }

    @Test
    void crossValidationAveragesHeldOutFoldsAtEveryCheckpoint() {
        var points = CrossValidation.run(DATA, small().withValidation(0, 0, 20), 4);
        assertThat(points).extracting(CrossValidation.Point::iteration).containsExactly(19, 39, 59);
        assertThat(points.get(2).meanAccuracy()).isGreaterThan(0.8);
    }

    static Dataset synthetic(int count, long seed) {
        Random random = new Random(seed);
        double[][] rows = new double[count][InputVectors.SIZE];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 2;
            for (int j = 0; j < InputVectors.SIZE; j++) {
                boolean left = (j / InputVectors.CHANNELS) % InputVectors.SIDE < InputVectors.SIDE / 2;
                double base = labels[i] == 1 && left ? 0.7 : 0.3;
                rows[i][j] = Math.min(1, Math.max(0, base + 0.2 * random.nextGaussian()));
            }
        }
        return new Dataset(new Array2DRowRealMatrix(rows, false), labels);
    }
}
