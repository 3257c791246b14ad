package com.catvsnoncat.cli;

import com.catvsnoncat.nn.TrainingListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr with the iteration, the current cost and the time left. */
final class TrainingProgress implements TrainingListener, AutoCloseable {
    /** Characters of the bar's line when there is no terminal to ask for its width. */
    static final int WIDTH_WITHOUT_TERMINAL = 100;

    private final ProgressBar bar;

    TrainingProgress(int iterations) {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName("train").setInitialMax(iterations)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).continuousUpdate();
        if (System.console() == null) {
            // Not interactive (a pipe, a log, a benchmark): the bar redrawn in place with carriage returns, which
            // is what the library ends up doing then anyway, without first asking JLine about the terminal (it
            // runs "test -t" and "tty" as 8 processes, a noticeable part of a short run).
            builder.setConsumer(new ConsoleProgressBarConsumer(System.err, WIDTH_WITHOUT_TERMINAL));
        }
        bar = builder.build();
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
