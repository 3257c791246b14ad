package com.catvsnoncat.app;

import com.catvsnoncat.testing.RandomModels;
import com.catvsnoncat.model.Model;
import com.catvsnoncat.model.ModelFile;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

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
        return RandomModels.pixelModel("small-test", "3", new Random(7), 0.01);
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
}
