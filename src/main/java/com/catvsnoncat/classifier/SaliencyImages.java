package com.catvsnoncat.classifier;

import com.catvsnoncat.data.InputVectors;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * PNG pictures for EXPLAIN: the 64x64 input as the network saw it, and a red heat overlay of the saliency
 * (|d p(cat) / d pixel|, the largest of the three channels, scaled so the strongest pixel is fully red) on it,
 * enlarged with nearest-neighbour so each input pixel stays a visible square.
 */
final class SaliencyImages {
    private static final int SIDE = InputVectors.SIDE;
    private static final int CHANNELS = InputVectors.CHANNELS;
    private static final int RED = 0xff0000;

    private final int scale;

    SaliencyImages(int scale) {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1, got " + scale);
        }
        this.scale = scale;
    }

    /** @param rgb 64x64 RGB bytes as from {@code ImagePreprocessor.toRgb64} */
    byte[] picturePng(byte[] rgb) {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        for (int pixel = 0; pixel < SIDE * SIDE; pixel++) {
            image.setRGB(pixel % SIDE, pixel / SIDE, rgbAt(rgb, pixel));
        }
        return png(image);
    }

    /** @param gradient d p / d input for the {@link InputVectors#SIZE} inputs of {@code rgb} */
    byte[] overlayPng(byte[] rgb, double[] gradient) {
        double[] strength = new double[SIDE * SIDE];
        double strongest = 0;
        for (int pixel = 0; pixel < strength.length; pixel++) {
            for (int c = 0; c < CHANNELS; c++) {
                strength[pixel] = Math.max(strength[pixel], Math.abs(gradient[pixel * CHANNELS + c]));
            }
            strongest = Math.max(strongest, strength[pixel]);
        }
        int side = SIDE * scale;
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int pixel = 0; pixel < strength.length; pixel++) {
            double alpha = strongest > 0 ? strength[pixel] / strongest : 0;
            int colour = blend(rgbAt(rgb, pixel), RED, alpha);
            int x0 = (pixel % SIDE) * scale;
            int y0 = (pixel / SIDE) * scale;
            for (int y = y0; y < y0 + scale; y++) {
                for (int x = x0; x < x0 + scale; x++) {
                    image.setRGB(x, y, colour);
                }
            }
        }
        return png(image);
    }

    private static int rgbAt(byte[] rgb, int pixel) {
        int i = pixel * CHANNELS;
        return (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | rgb[i + 2] & 0xff;
    }

    private static int blend(int under, int over, double alpha) {
        int result = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            double mixed = (1 - alpha) * (under >> shift & 0xff) + alpha * (over >> shift & 0xff);
            result |= (int) Math.round(mixed) << shift;
        }
        return result;
    }

    /** Through a memory-backed stream: ImageIO would otherwise buffer in a temporary file (a read-only root refuses). */
    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            ImageIO.write(image, "png", stream);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding to memory failed", e);
        }
        return out.toByteArray();
    }
}
