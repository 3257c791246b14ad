package com.catvsnoncat.cli;

import com.catvsnoncat.nn.TrainingResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The training (and validation) cost curve as a PNG beside the model: cross-entropy against iteration, with a title,
 * gridded axes from 0 and a legend. Drawn on a {@link PlotCanvas} rather than with a chart library: JFreeChart,
 * Java2D, the fonts and ImageIO took a reference training run about a second of CPU time on their first use, more
 * than a third of the run's (measured in the commit that made this change).
 */
final class CostPlot {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;
    private static final int LEFT = 90;
    private static final int RIGHT = WIDTH - 25;
    private static final int TOP = 50;
    private static final int BOTTOM = HEIGHT - 95;
    private static final int TEXT_SCALE = 2;
    private static final int TITLE_SCALE = 3;
    private static final int WHITE = 0xffffff;
    private static final int BLACK = 0x000000;
    private static final int PLOT_BACKGROUND = 0xf2f2f2;
    private static final int GRID = 0xd4d4d4;
    private static final int TRAINING_COLOUR = 0xd62728;
    private static final int VALIDATION_COLOUR = 0x1f77b4;
    private static final int GRID_LINES = 8;

    private CostPlot() {
    }

    static void write(TrainingResult result, Path png) throws IOException {
        double[] costs = result.costs();
        List<TrainingResult.ValidationPoint> validation = result.validationCosts();
        double highest = 0;
        for (double cost : costs) {
            highest = Math.max(highest, cost);
        }
        for (TrainingResult.ValidationPoint point : validation) {
            highest = Math.max(highest, point.cost());
        }
        Axis x = Axis.from0To(Math.max(1, costs.length - 1));
        Axis y = Axis.from0To(highest);

        PlotCanvas canvas = new PlotCanvas(WIDTH, HEIGHT, WHITE);
        canvas.fill(LEFT, TOP, RIGHT + 1, BOTTOM + 1, PLOT_BACKGROUND);
        for (int tick = 0; tick <= x.ticks(); tick++) {
            int px = px(x, tick * x.step());
            canvas.line(px, TOP, px, BOTTOM + 4, GRID);
            String label = x.label(tick);
            canvas.text(label, px - PlotCanvas.textWidth(label, TEXT_SCALE) / 2, BOTTOM + 9, TEXT_SCALE, BLACK);
        }
        for (int tick = 0; tick <= y.ticks(); tick++) {
            int py = py(y, tick * y.step());
            canvas.line(LEFT - 4, py, RIGHT, py, GRID);
            String label = y.label(tick);
            canvas.text(label, LEFT - 8 - PlotCanvas.textWidth(label, TEXT_SCALE), py - 7, TEXT_SCALE, BLACK);
        }
        canvas.line(LEFT, TOP, LEFT, BOTTOM, BLACK);
        canvas.line(LEFT, BOTTOM, RIGHT, BOTTOM, BLACK);
        for (int i = 1; i < costs.length; i++) {
            canvas.line(px(x, i - 1), py(y, costs[i - 1]), px(x, i), py(y, costs[i]), TRAINING_COLOUR);
        }
        for (int i = 1; i < validation.size(); i++) {
            TrainingResult.ValidationPoint from = validation.get(i - 1);
            TrainingResult.ValidationPoint to = validation.get(i);
            canvas.line(px(x, from.iteration()), py(y, from.cost()), px(x, to.iteration()), py(y, to.cost()),
                    VALIDATION_COLOUR);
        }

        centred(canvas, "Cost", 12, TITLE_SCALE);
        centred(canvas, "iteration", BOTTOM + 34, TEXT_SCALE);
        String yLabel = "cross-entropy";
        canvas.textUpwards(yLabel, 12, (TOP + BOTTOM + PlotCanvas.textWidth(yLabel, TEXT_SCALE)) / 2, TEXT_SCALE,
                BLACK);
        legend(canvas, validation.isEmpty());

        // Written beside the model file, perhaps before the model's own write has created the folder.
        Files.createDirectories(png.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(png)) {
            canvas.writePng(out);
        }
    }

    private static void legend(PlotCanvas canvas, boolean trainingOnly) {
        String training = "training cost";
        String held = "validation cost";
        int entry = 30 + PlotCanvas.textWidth(training, TEXT_SCALE);
        int width = trainingOnly ? entry : entry + 30 + 30 + PlotCanvas.textWidth(held, TEXT_SCALE);
        int left = (WIDTH - width) / 2;
        int top = HEIGHT - 30;
        legendEntry(canvas, training, left, top, TRAINING_COLOUR);
        if (!trainingOnly) {
            legendEntry(canvas, held, left + entry + 30, top, VALIDATION_COLOUR);
        }
    }

    private static void legendEntry(PlotCanvas canvas, String label, int left, int top, int colour) {
        canvas.fill(left, top + 6, left + 22, top + 8, colour);
        canvas.text(label, left + 30, top, TEXT_SCALE, BLACK);
    }

    private static void centred(PlotCanvas canvas, String text, int top, int scale) {
        canvas.text(text, (WIDTH - PlotCanvas.textWidth(text, scale)) / 2, top, scale, BLACK);
    }

    private static int px(Axis axis, double value) {
        return LEFT + (int) Math.round(value / axis.end() * (RIGHT - LEFT));
    }

    private static int py(Axis axis, double value) {
        return BOTTOM - (int) Math.round(value / axis.end() * (BOTTOM - TOP));
    }

    /**
     * An axis from 0 to a round end at or above the highest value, in steps of 1, 2 or 5 times a power of ten, so
     * that there are at most {@link #GRID_LINES} of them.
     */
    private record Axis(double step, int ticks, int decimals) {
        static Axis from0To(double highest) {
            double top = highest > 0 ? highest : 1;
            double power = Math.pow(10, Math.floor(Math.log10(top / GRID_LINES)));
            double step = 10 * power;
            for (double multiple : new double[] {1, 2, 5}) {
                if (multiple * power * GRID_LINES >= top) {
                    step = multiple * power;
                    break;
                }
            }
            int ticks = (int) Math.ceil(top / step - 1e-9);
            return new Axis(step, ticks, Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9)));
        }

        double end() {
            return ticks * step;
        }

        String label(int tick) {
            return String.format(Locale.ROOT, "%." + decimals + "f", tick * step);
        }
    }
}
