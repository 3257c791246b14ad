package com.catvsnoncat.testing;

import com.catvsnoncat.model.Model;
import com.catvsnoncat.nn.Network;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;

/** Networks and matrices of seeded Gaussian values, for tests that need real sizes but no meaningful answers. */
public final class RandomModels {
    private RandomModels() {
    }

    /** A matrix of Gaussian values times {@code scale}, drawn row by row from {@code random}. */
    public static Array2DRowRealMatrix gaussian(Random random, int rows, int columns, double scale) {
        double[][] data = new double[rows][columns];
        for (double[] row : data) {
            for (int j = 0; j < columns; j++) {
                row[j] = random.nextGaussian() * scale;
            }
        }
        return new Array2DRowRealMatrix(data, false);
    }

    /** A 12288-16-1 network on the pixels: meaningless answers, real sizes, quick to run. */
    public static Model pixelModel(String name, String version, Random random, double scale) {
        return Model.of(name, version, new Network(
                List.of(gaussian(random, 16, 12288, scale), gaussian(random, 1, 16, scale)),
                List.of(gaussian(random, 16, 1, scale), gaussian(random, 1, 1, scale))), null);
    }
}
