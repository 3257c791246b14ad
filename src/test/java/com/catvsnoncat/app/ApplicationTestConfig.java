package com.catvsnoncat.app;

import com.catvsnoncat.model.Model;
import com.catvsnoncat.model.ModelFile;
import com.catvsnoncat.nn.Network;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Overrides for starting the real application in a test (a free port on 127.0.0.1 and a small real model), and the
 * model and picture the application tests share.
 */
final class ApplicationTestConfig {
    private ApplicationTestConfig() {
    }

    static JsonObject withModel(Path dir) {
        Path model = dir.resolve("small.npz");
        ModelFile.write(model, smallModel());
        return new JsonObject()
                .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                .put("classifier", new JsonObject().put("modelPath", model.toString()).put("warmupRuns", 2));
    }

    /** A 12288-16-1 network with fixed random weights: meaningless answers, real sizes. */
    static Model smallModel() {
        Random random = new Random(7);
        return Model.of("small-test", "3", new Network(List.of(matrix(random, 16, 12288), matrix(random, 1, 16)),
                List.of(matrix(random, 16, 1), matrix(random, 1, 1))), null);
    }

    /** An 80x60 colour gradient: a picture the classifier takes, whatever it answers. */
    static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(80, 60, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 80; x++) {
                image.setRGB(x, y, (x * 3) << 16 | (y * 4) << 8 | 128);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static RealMatrix matrix(Random random, int rows, int columns) {
        double[][] data = new double[rows][columns];
        for (double[] row : data) {
            for (int j = 0; j < columns; j++) {
                row[j] = random.nextGaussian() * 0.01;
            }
        }
        return new Array2DRowRealMatrix(data, false);
    }
}
