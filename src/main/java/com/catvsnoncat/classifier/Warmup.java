package com.catvsnoncat.classifier;

import com.catvsnoncat.model.Model;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;

/**
 * Runs the serving path on a generated picture before readiness turns true, so the JIT has compiled the decoder,
 * the resize and the network and the first real requests are not the slow ones.
 */
final class Warmup {
    private static final int PICTURE_SIDE = 200;

    private Warmup() {
    }

    /**
     * Blocking; runs {@code runs} classifications of a JPEG, one explanation and one batch.
     *
     * @param stopRequested checked between runs, so an undeployment does not wait for the whole warm-up
     */
    static void run(Classifier classifier, Model model, int runs, BooleanSupplier stopRequested) {
        if (runs == 0) {
            return;
        }
        byte[] jpeg = picture("jpeg");
        for (int i = 0; i < runs; i++) {
            if (stopRequested.getAsBoolean()) {
                return;
            }
            classifier.classify(model, jpeg);
        }
        classifier.explain(model, jpeg);
        classifier.inferImages(model, List.of(jpeg, picture("png")));
    }

    private static byte[] picture(String format) {
        BufferedImage image = new BufferedImage(PICTURE_SIDE, PICTURE_SIDE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < PICTURE_SIDE; y++) {
            for (int x = 0; x < PICTURE_SIDE; x++) {
                image.setRGB(x, y, (x * 255 / PICTURE_SIDE) << 16 | (y * 255 / PICTURE_SIDE) << 8 | (x ^ y) & 0xff);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
