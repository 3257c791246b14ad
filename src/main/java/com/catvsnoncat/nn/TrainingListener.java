package com.catvsnoncat.nn;

/** Hears about a training run as it goes, e.g. to draw a progress bar. */
@FunctionalInterface
public interface TrainingListener {
    TrainingListener NONE = (iteration, total, cost) -> { };

    /** @param iteration 0-based iteration just finished; cost is its training cost before its update */
    void iterationDone(int iteration, int total, double cost);
}
