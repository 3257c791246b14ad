package com.catvsnoncat.cli;

import com.catvsnoncat.nn.TrainingListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr with the iteration, the current cost and the time left. */
final class TrainingProgress implements TrainingListener, AutoCloseable {
    private final ProgressBar bar;

    TrainingProgress(int iterations) {
        bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(iterations)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).continuousUpdate().build();
    }

    @Override
    public void iterationDone(int iteration, int total, double cost) {
        bar.stepTo(iteration + 1L);
        bar.setExtraMessage(String.format("cost %.6f", cost));
    }

    @Override
    public void close() {
        bar.close();
    }
}
