package com.catvsnoncat.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Turns whatever an ImageIO reader returns into one opaque TYPE_INT_RGB picture the right way up:
 * alpha composited on white, grey and palette expanded to RGB, more than 8 bits per sample reduced to 8,
 * and the EXIF orientation applied.
 */
final class RgbConversion {
    private RgbConversion() {
    }

    static BufferedImage toUprightRgb(BufferedImage image, int orientation) {
        int width = image.getWidth();
        int height = image.getHeight();
        boolean transposed = orientation >= 5;
        BufferedImage result = new BufferedImage(transposed ? height : width, transposed ? width : height,
                BufferedImage.TYPE_INT_RGB);
        int[] target = ((DataBufferInt) result.getRaster().getDataBuffer()).getData();
        int[] row = new int[width];
        boolean grey = isPlainGrey(image);
        int[] packed = packedOpaqueRgb(image);
        for (int y = 0; y < height; y++) {
            if (grey) {
                readGreyRow(image, y, row);
            } else if (packed != null) {
                for (int x = 0; x < width; x++) {
                    row[x] = 0xff000000 | packed[y * width + x]; // what getRGB answers for an opaque pixel
                }
            } else {
                // getRGB gives non-premultiplied sRGB for every other colour model, palettes and 16 bits included.
                image.getRGB(0, y, width, 1, row, 0, width);
            }
            for (int x = 0; x < width; x++) {
                target[targetIndex(orientation, x, y, width, height)] = onWhite(row[x]);
            }
        }
        return result;
    }

    /**
     * Grey (optionally with alpha) stored as plain samples. Its Java colour space is linear grey, so getRGB
     * would brighten it (128 becomes 188); decoders in other languages show the sample as is, and so do we.
     */
    private static boolean isPlainGrey(BufferedImage image) {
        return image.getColorModel() instanceof ComponentColorModel model
                && model.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && !model.isAlphaPremultiplied()
                && image.getRaster().getNumBands() == (model.hasAlpha() ? 2 : 1);
    }

    /**
     * The pixels of an opaque packed RGB picture laid out row after row (what the reduced JPEG decoder makes), or
     * null: there getRGB would convert each pixel through the colour model only to return its 24 bits.
     */
    private static int[] packedOpaqueRgb(BufferedImage image) {
        Raster raster = image.getRaster();
        boolean plain = image.getType() == BufferedImage.TYPE_INT_RGB && raster.getParent() == null
                && raster.getDataBuffer() instanceof DataBufferInt buffer && buffer.getOffset() == 0
                && raster.getSampleModel() instanceof SinglePixelPackedSampleModel model
                && model.getScanlineStride() == image.getWidth() && raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0;
        return plain ? ((DataBufferInt) raster.getDataBuffer()).getData() : null;
    }

    private static void readGreyRow(BufferedImage image, int y, int[] argb) {
        Raster raster = image.getRaster();
        int[] bits = image.getColorModel().getComponentSize();
        boolean alpha = raster.getNumBands() == 2;
        int[] grey = raster.getSamples(0, y, argb.length, 1, 0, (int[]) null);
        int[] alphas = alpha ? raster.getSamples(0, y, argb.length, 1, 1, (int[]) null) : null;
        for (int x = 0; x < argb.length; x++) {
            int g = to8Bits(grey[x], bits[0]);
            int a = alpha ? to8Bits(alphas[x], bits[1]) : 0xff;
            argb[x] = a << 24 | g << 16 | g << 8 | g;
        }
    }

    private static int to8Bits(int sample, int bits) {
        if (bits == 8) {
            return sample;
        }
        long max = (1L << bits) - 1;
        return (int) ((sample * 255L * 2 + max) / (2 * max));
    }

    private static int onWhite(int argb) {
        int alpha = argb >>> 24;
        if (alpha == 0xff) {
            return argb & 0xffffff;
        }
        int white = 255 * (255 - alpha);
        int r = ((argb >> 16 & 0xff) * alpha + white + 127) / 255;
        int g = ((argb >> 8 & 0xff) * alpha + white + 127) / 255;
        int b = ((argb & 0xff) * alpha + white + 127) / 255;
        return r << 16 | g << 8 | b;
    }

    /** Where stored pixel (x, y) of a width x height picture goes once shown the way EXIF orientation says. */
    private static int targetIndex(int orientation, int x, int y, int width, int height) {
        return switch (orientation) {
            case 2 -> y * width + (width - 1 - x);                   // mirrored left-right
            case 3 -> (height - 1 - y) * width + (width - 1 - x);    // rotated 180
            case 4 -> (height - 1 - y) * width + x;                  // mirrored top-bottom
            case 5 -> x * height + y;                                // transposed
            case 6 -> x * height + (height - 1 - y);                 // rotated 90 clockwise
            case 7 -> (width - 1 - x) * height + (height - 1 - y);   // transversed
            case 8 -> (width - 1 - x) * height + y;                  // rotated 90 counter-clockwise
            default -> y * width + x;
        };
    }
}
