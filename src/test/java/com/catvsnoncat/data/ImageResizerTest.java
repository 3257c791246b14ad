package com.catvsnoncat.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageResizerTest {

    @Test
    void pictureAlreadyAtTargetSizeComesOutBitIdentical() {
        int[] pixels = new int[64 * 64];
        Random random = new Random(7);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextInt(0x1000000);
        }

        byte[] resized = ImageResizer.resize(pixels, 64, 64, 64, 64);

        assertThat(resized).containsExactly(toRgbBytes(pixels));
    }

    @Test
    void solidBlocksShrinkToExactlyTheirColours() {
        // 640x640 made of 64x64 blocks of 10x10 pixels, each block its own colour.
        int[] pixels = new int[640 * 640];
        for (int y = 0; y < 640; y++) {
            for (int x = 0; x < 640; x++) {
                pixels[y * 640 + x] = blockColour(x / 10, y / 10);
            }
        }
        int[] expected = new int[64 * 64];
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                expected[y * 64 + x] = blockColour(x, y);
            }
        }

        assertThat(ImageResizer.resize(pixels, 640, 640, 64, 64)).containsExactly(toRgbBytes(expected));
    }

    @Test
    void onePixelCheckerboardShrinksToMidGreyNotToAliasing() {
        int[] pixels = new int[640 * 640];
        for (int y = 0; y < 640; y++) {
            for (int x = 0; x < 640; x++) {
                pixels[y * 640 + x] = (x + y) % 2 == 0 ? 0x000000 : 0xffffff;
            }
        }

        byte[] resized = ImageResizer.resize(pixels, 640, 640, 64, 64);

        for (byte value : resized) {
            assertThat(value & 0xff).isBetween(127, 128);
        }
    }

    @Test
    void fractionalCoverageIsWeightedByArea() {
        // Three pixels into two: each output pixel covers 1.5 source pixels.
        int[] pixels = {0x000000, 0x969696, 0xffffff};

        byte[] resized = ImageResizer.resize(pixels, 3, 1, 2, 1);

        // (0 * 1 + 150 * 0.5) / 1.5 = 50 and (150 * 0.5 + 255 * 1) / 1.5 = 220.
        assertThat(resized).containsExactly(50, 50, 50, (byte) 220, (byte) 220, (byte) 220);
    }

    @Test
    void nonSquarePicturesAreStretchedNotCropped() {
        // 128x32: left half red, right half blue.
        int[] pixels = new int[128 * 32];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i % 128 < 64 ? TestImages.RED : TestImages.BLUE;
        }

        byte[] resized = ImageResizer.resize(pixels, 128, 32, 64, 64);

        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int expected = x < 32 ? TestImages.RED : TestImages.BLUE;
                assertThat(pixelAt(resized, 64, x, y)).as("pixel (%d, %d)", x, y).isEqualTo(expected);
            }
        }
    }

    @Test
    void enlargingInterpolatesBetweenPixelCentres() {
        byte[] resized = ImageResizer.resize(new int[] {0x000000, 0xffffff}, 2, 1, 4, 1);

        // Output centres fall at -0.25 (clamped), 0.25, 0.75 and 1.25 (clamped) source pixels.
        assertThat(resized).containsExactly(0, 0, 0, 64, 64, 64, (byte) 191, (byte) 191, (byte) 191,
                (byte) 255, (byte) 255, (byte) 255);
    }

    @Test
    void singlePixelFillsTheWholeTarget() {
        byte[] resized = ImageResizer.resize(new int[] {0x123456}, 1, 1, 64, 64);

        for (int i = 0; i < 64 * 64; i++) {
            assertThat(pixelAt(resized, 64, i % 64, i / 64)).isEqualTo(0x123456);
        }
    }

    @Test
    void bufferedImageOverloadMatchesTheArrayOne() {
        BufferedImage image = TestImages.noise(100, 70, 3);
        int[] pixels = image.getRGB(0, 0, 100, 70, null, 0, 100);

        assertThat(ImageResizer.resize(image, 64, 64)).containsExactly(ImageResizer.resize(pixels, 100, 70, 64, 64));
    }

    @Test
    void shrinkingIsTheExactAreaAverageOfRandomPictures() {
        Random random = new Random(23);
        for (int round = 0; round < 40; round++) {
            int width = 2 + random.nextInt(200);
            int height = 2 + random.nextInt(200);
            int targetWidth = 1 + random.nextInt(width - 1);
            int targetHeight = 1 + random.nextInt(height - 1);
            int[] pixels = TestImages.noise(width, height, round).getRGB(0, 0, width, height, null, 0, width);

            byte[] resized = ImageResizer.resize(pixels, width, height, targetWidth, targetHeight);

            assertThat(resized).as("%dx%d to %dx%d", width, height, targetWidth, targetHeight)
                    .containsExactly(areaAverage(pixels, width, height, targetWidth, targetHeight));
        }
    }

    @Test
    void quotientsByMultiplicationAreTheExactOnes() {
        Random random = new Random(29);
        for (int i = 0; i < 200_000; i++) {
            // Divisors from 1 to the largest a resize allows, quotients 0..255 as a resize's are.
            long divisor = 1 + (long) (Math.pow(2, random.nextDouble() * 54) * random.nextDouble());
            long numerator = random.nextInt(256) * divisor + (long) (random.nextDouble() * divisor);

            assertThat(ImageResizer.roundedQuotient(numerator, divisor, 1.0 / divisor))
                    .as("%d / %d", numerator, divisor).isEqualTo(numerator / divisor);
        }
    }

    @Test
    void rejectsSizesThatDoNotMatchThePixels() {
        assertThatThrownBy(() -> ImageResizer.resize(new int[10], 4, 4, 64, 64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 16 pixels");
        assertThatThrownBy(() -> ImageResizer.resize(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY), 64, 64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TYPE_INT_RGB");
    }

    /**
     * The area average from its definition: in units of 1/(target size) of a source pixel, source pixel i spans
     * [i * target, (i + 1) * target) and output pixel x spans [x * source, (x + 1) * source); each source pixel counts
     * by the area it shares with the output pixel, and the sum is rounded half up.
     */
    private static byte[] areaAverage(int[] pixels, int width, int height, int targetWidth, int targetHeight) {
        byte[] out = new byte[targetWidth * targetHeight * 3];
        long area = (long) width * height;
        for (int y = 0; y < targetHeight; y++) {
            for (int x = 0; x < targetWidth; x++) {
                long[] sums = new long[3];
                // Only the source pixels that can overlap (the rest share no area).
                for (int j = y * height / targetHeight; j <= (y + 1) * height / targetHeight && j < height; j++) {
                    long overlapY = overlap(j, targetHeight, y, height);
                    for (int i = x * width / targetWidth; i <= (x + 1) * width / targetWidth && i < width; i++) {
                        long weight = overlapY * overlap(i, targetWidth, x, width);
                        int pixel = pixels[j * width + i];
                        sums[0] += weight * (pixel >> 16 & 0xff);
                        sums[1] += weight * (pixel >> 8 & 0xff);
                        sums[2] += weight * (pixel & 0xff);
                    }
                }
                for (int c = 0; c < 3; c++) {
                    out[(y * targetWidth + x) * 3 + c] = (byte) ((2 * sums[c] + area) / (2 * area));
                }
            }
        }
        return out;
    }

    private static long overlap(int sourcePixel, int target, int outputPixel, int source) {
        long from = Math.max((long) sourcePixel * target, (long) outputPixel * source);
        long to = Math.min((long) (sourcePixel + 1) * target, (long) (outputPixel + 1) * source);
        return Math.max(0, to - from);
    }

    private static int blockColour(int blockX, int blockY) {
        return (blockX * 4) << 16 | (blockY * 4) << 8 | ((blockX + blockY) * 2);
    }

    private static int pixelAt(byte[] rgb, int width, int x, int y) {
        int i = (y * width + x) * 3;
        return (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff);
    }

    private static byte[] toRgbBytes(int[] pixels) {
        byte[] rgb = new byte[pixels.length * 3];
        for (int i = 0; i < pixels.length; i++) {
            rgb[3 * i] = (byte) (pixels[i] >> 16);
            rgb[3 * i + 1] = (byte) (pixels[i] >> 8);
            rgb[3 * i + 2] = (byte) pixels[i];
        }
        return rgb;
    }
}
