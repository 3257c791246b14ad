package com.catvsnoncat.cli;

import com.catvsnoncat.nn.TrainingResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The training (and validation) cost curve as a PNG beside the model. */
final class CostPlot {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;

    private CostPlot() {
    }

    /**
     * Renders and encodes an empty plot, discarding it: the chart library, Java2D, the fonts and the PNG writer take
     * about a fifth of a second to load and initialise the first time, which a caller can spend on another core
     * while it trains, so that {@link #write} then costs only the drawing.
     */
    static void prepare() throws IOException {
        ChartUtils.writeChartAsPNG(OutputStream.nullOutputStream(), chart(new XYSeriesCollection()), WIDTH, HEIGHT);
    }

    static void write(TrainingResult result, Path png) throws IOException {
        XYSeries training = new XYSeries("training cost");
        double[] costs = result.costs();
        for (int i = 0; i < costs.length; i++) {
            training.add(i, costs[i]);
        }
        XYSeriesCollection series = new XYSeriesCollection(training);
        if (!result.validationCosts().isEmpty()) {
            XYSeries validation = new XYSeries("validation cost");
            for (TrainingResult.ValidationPoint point : result.validationCosts()) {
                validation.add(point.iteration(), point.cost());
            }
            series.addSeries(validation);
        }
        // Written beside the model file, perhaps before the model's own write has created the folder.
        Files.createDirectories(png.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(png.toFile(), chart(series), WIDTH, HEIGHT);
    }

    private static JFreeChart chart(XYSeriesCollection series) {
        return ChartFactory.createXYLineChart("Cost", "iteration", "cross-entropy", series, PlotOrientation.VERTICAL,
                true, false, false);
    }
}
