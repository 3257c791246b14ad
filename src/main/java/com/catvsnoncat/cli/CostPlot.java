package com.catvsnoncat.cli;

import com.catvsnoncat.nn.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The training (and validation) cost curve as a PNG beside the model. */
final class CostPlot {
    private CostPlot() {
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
        JFreeChart chart = ChartFactory.createXYLineChart("Cost", "iteration", "cross-entropy", series,
                PlotOrientation.VERTICAL, true, false, false);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 800, 500);
    }
}
