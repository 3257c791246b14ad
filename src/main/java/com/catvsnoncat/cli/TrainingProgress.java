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

    /** The bar redraws every 200 ms; its cost text is renewed at most twice as often. */
    private static final long UPDATE_MILLIS = 200;
    private static final long COST_TEXT_NANOS = UPDATE_MILLIS / 2 * 1_000_000;

    private final ProgressBar bar;
    private long costTextAt;
    private boolean costTextSet;

    TrainingProgress(int iterations) {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName("train").setInitialMax(iterations)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis((int) UPDATE_MILLIS).continuousUpdate();
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
        // Formatting the cost at every iteration (2,500 String.format calls in the reference run) cost a fresh JVM
        // about 0.1 s of the loop's thread and more in the JIT compiling the formatter: the bar only shows the text
        // it finds at each redraw, so the text is renewed when a redraw could show it, and at the last iteration.
        long now = System.nanoTime();
        if (!costTextSet || now - costTextAt >= COST_TEXT_NANOS || iteration == total - 1) {
            bar.setExtraMessage(String.format("cost %.6f", cost));
            costTextAt = now;
            costTextSet = true;
        }
    }

    @Override
    public void close() {
        bar.close();
    }
}
