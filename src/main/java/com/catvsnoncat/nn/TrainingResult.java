package com.catvsnoncat.nn;

import java.util.List;
import java.util.Optional;

/**
 * @param network           the trained parameters (the best on validation when early stopping is on)
 * @param standardizer      the input standardisation the network expects, if any
 * @param costs             training cost of every iteration that ran (before that iteration's update)
 * @param validationCosts   validation cost at each evaluation
 * @param bestIteration     the iteration whose parameters were kept
 * @param solver            the solver that ran
 * @param seconds           wall-clock training time, from initialisation (including the solver's set-up)
 * @param trainingAccuracy  accuracy of the kept network on the training part (validation part excluded)
 */
public record TrainingResult(Network network, Optional<Standardizer> standardizer, double[] costs,
                             List<ValidationPoint> validationCosts, int bestIteration, TrainingOptions.Solver solver,
                             double seconds, int trainingExamples, int validationExamples,
                             double trainingAccuracy, Optional<Double> validationAccuracy) {

    public record ValidationPoint(int iteration, double cost, double accuracy, double balancedAccuracy) {
    }

    public int iterationsRun() {
        return costs.length;
    }

    public boolean stoppedEarly(TrainingOptions options) {
        return costs.length < options.iterations();
    }
}
