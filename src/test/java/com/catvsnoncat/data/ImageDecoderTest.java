package com.catvsnoncat.data;

import static com.catvsnoncat.data.ImageAssertions.assertColour;
import static com.catvsnoncat.data.ImageAssertions.assertQuadrants;
import static com.catvsnoncat.data.ImageAssertions.assertRefused;
import static com.catvsnoncat.data.TestImages.BLUE;
import static com.catvsnoncat.data.TestImages.GREEN;
import static com.catvsnoncat.data.TestImages.RED;
import static com.catvsnoncat.data.TestImages.WHITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.catvsnoncat.data.ImageDecodingException.Kind;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {
    private final ImageDecoder decoder = new ImageDecoder();

    @ParameterizedTest
    @ValueSource(strings = {"png", "bmp", "gif"})
    void losslessFormatsDecodeToTheExactColours(String format) {
        BufferedImage decoded = decoder.decode(TestImages.encode(TestImages.quadrants(32, BufferedImage.TYPE_INT_RGB), format));

        assertThat(decoded.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertQuadrants(decoded, RED, GREEN, BLUE, WHITE, 0);
    }

    @Test
    void baselineJpegDecodesToTheColours() {
        assertQuadrants(decoder.decode(TestImages.jpeg(TestImages.quadrants(64, BufferedImage.TYPE_INT_RGB), false)),
                RED, GREEN, BLUE, WHITE, 8);
    }

    @Test
    void progressiveJpegDecodesToTheColours() {
        byte[] progressive = TestImages.jpeg(TestImages.quadrants(64, BufferedImage.TYPE_INT_RGB), true);
        assertThat(hasMarker(progressive, 0xc2)).as("SOF2 (progressive) marker present").isTrue();

        assertQuadrants(decoder.decode(progressive), RED, GREEN, BLUE, WHITE, 8);
    }

    @Test
    void cmykJpegDecodesToRgb() {
        // Left: full cyan ink; right: no ink (paper white).
        BufferedImage decoded = decoder.decode(TestImages.cmykJpeg(32, new int[] {255, 0, 0, 0}, new int[] {0, 0, 0, 0}));

        assertColour(decoded.getRGB(8, 16), 0x00ffff, 40);
        assertColour(decoded.getRGB(24, 16), WHITE, 8);
    }

    /**
     * Fixtures made with cwebp 1.2.4 (Debian package webp) from a 32x32 PNG of quadrants red, green, blue and
     * fully transparent: {@code cwebp -q 90 quadrants.png -o quadrants-lossy.webp} (164 bytes, VP8X + ALPH +
     * VP8) and {@code cwebp -lossless quadrants.png -o quadrants-lossless.webp} (64 bytes, VP8L).
     */
    @ParameterizedTest
    @CsvSource({"quadrants-lossless.webp, 0", "quadrants-lossy.webp, 8"})
    void webpDecodesWithTransparencyOnWhite(String fixture, int tolerance) throws IOException {
        assertQuadrants(decoder.decode(resource(fixture)), RED, GREEN, BLUE, WHITE, tolerance);
    }

    @Test
    void greyPngKeepsItsGreyLevels() {
        BufferedImage grey = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 1, 0, 128);

        BufferedImage decoded = decoder.decode(TestImages.encode(grey, "png"));

        // Not 188, which is what Java's linear-grey colour model would make of it.
        assertColour(decoded.getRGB(1, 1), 0x808080, 0);
        assertColour(decoded.getRGB(0, 0), 0x000000, 0);
    }

    @Test
    void sixteenBitGreyPngIsReducedTo8Bits() {
        BufferedImage grey = new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY);
        grey.getRaster().setSample(0, 0, 0, 0x8080);
        grey.getRaster().setSample(1, 0, 0, 0xffff);

        BufferedImage decoded = decoder.decode(TestImages.encode(grey, "png"));

        assertColour(decoded.getRGB(0, 0), 0x808080, 0);
        assertColour(decoded.getRGB(1, 0), 0xffffff, 0);
    }

    @Test
    void sixteenBitRgbaPngIsReducedTo8BitsAndCompositedOnWhite() {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
                new int[] {16, 16, 16, 16}, true, false, Transparency.TRANSLUCENT, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(4, 4);
        raster.setPixel(0, 0, new int[] {0xffff, 0, 0x8080, 0xffff});
        raster.setPixel(1, 0, new int[] {0, 0, 0, 0});
        BufferedImage image = new BufferedImage(model, raster, false, null);

        BufferedImage decoded = decoder.decode(TestImages.encode(image, "png"));

        assertColour(decoded.getRGB(0, 0), 0xff0080, 0);
        assertColour(decoded.getRGB(1, 0), WHITE, 0);
    }

    @Test
    void greyWithAlphaPngIsCompositedOnWhite() {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
                new int[] {8, 8}, true, false, Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = model.createCompatibleWritableRaster(2, 1);
        raster.setPixel(0, 0, new int[] {0, 255});
        raster.setPixel(1, 0, new int[] {0, 0});

        BufferedImage decoded = decoder.decode(TestImages.encode(new BufferedImage(model, raster, false, null), "png"));

        assertColour(decoded.getRGB(0, 0), 0x000000, 0);
        assertColour(decoded.getRGB(1, 0), WHITE, 0);
    }

    @Test
    void palettePngsAreExpandedToRgb() {
        BufferedImage palette = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED);
        palette.setRGB(0, 0, 0xff0000);
        BufferedImage oneBit = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_BINARY);
        oneBit.setRGB(0, 0, WHITE);

        assertColour(decoder.decode(TestImages.encode(palette, "png")).getRGB(0, 0), 0xff0000, 0);
        BufferedImage decodedOneBit = decoder.decode(TestImages.encode(oneBit, "png"));
        assertColour(decodedOneBit.getRGB(0, 0), WHITE, 0);
        assertColour(decodedOneBit.getRGB(1, 0), 0x000000, 0);
    }

    @Test
    void translucentPixelsAreCompositedOnWhite() {
        BufferedImage argb = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0xffff0000);
        argb.setRGB(1, 0, 0x80ff0000);
        argb.setRGB(2, 0, 0x00000000);

        BufferedImage decoded = decoder.decode(TestImages.encode(argb, "png"));

        assertColour(decoded.getRGB(0, 0), 0xff0000, 0);
        // Half-covered red over white: 255 * 128/255 + 255 * 127/255 = 255; 0 + 255 * 127/255 = 127.
        assertColour(decoded.getRGB(1, 0), 0xff7f7f, 0);
        assertColour(decoded.getRGB(2, 0), WHITE, 0);
    }

    @Test
    void animatedGifGivesItsFirstFrame() {
        BufferedImage decoded = decoder.decode(TestImages.animatedGif(16, BLUE, RED, GREEN));

        assertColour(decoded.getRGB(8, 8), BLUE, 0);
    }

    @Test
    void exifOrientation6JpegIsTurnedUpright() {
        // Stored 48 wide and 16 high, left third red and the rest blue; orientation 6 says "rotate 90 clockwise".
        BufferedImage stored = TestImages.solid(48, 16, BLUE);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                stored.setRGB(x, y, RED);
            }
        }
        byte[] jpeg = TestImages.withExifOrientation(TestImages.jpeg(stored, false), 6);

        BufferedImage decoded = decoder.decode(jpeg);

        assertThat(decoded.getWidth()).isEqualTo(16);
        assertThat(decoded.getHeight()).isEqualTo(48);
        assertColour(decoded.getRGB(8, 4), RED, 16);
        assertColour(decoded.getRGB(8, 40), BLUE, 16);
    }

    /** Stored pixels 1 2 3 / 4 5 6; each orientation's upright picture written out by hand. */
    @ParameterizedTest
    @CsvSource({
        "1, 3, '1 2 3 4 5 6'",
        "2, 3, '3 2 1 6 5 4'",
        "3, 3, '6 5 4 3 2 1'",
        "4, 3, '4 5 6 1 2 3'",
        "5, 2, '1 4 2 5 3 6'",
        "6, 2, '4 1 5 2 6 3'",
        "7, 2, '6 3 5 2 4 1'",
        "8, 2, '3 6 2 5 1 4'"})
    void everyExifOrientationIsApplied(int orientation, int uprightWidth, String upright) {
        BufferedImage stored = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 6; i++) {
            stored.setRGB(i % 3, i / 3, (i + 1) * 40 << 16);
        }
        byte[] png = TestImages.withPngExifOrientation(TestImages.encode(stored, "png"), orientation);

        BufferedImage decoded = decoder.decode(png);

        assertThat(decoded.getWidth()).isEqualTo(uprightWidth);
        int[] labels = new int[6];
        for (int i = 0; i < 6; i++) {
            labels[i] = (decoded.getRGB(i % uprightWidth, i / uprightWidth) >> 16 & 0xff) / 40;
        }
        assertThat(labels).containsExactly(Arrays.stream(upright.split(" ")).mapToInt(Integer::parseInt).toArray());
    }

    @Test
    void largePicturesAreSubsampledWhileDecodingButKeepTwiceTheTarget() {
        byte[] png = TestImages.encode(TestImages.solid(640, 480, 0x336699), "png");

        BufferedImage decoded = decoder.decode(png, 64, 64);

        assertThat(decoded.getWidth()).isBetween(128, 255);
        assertThat(decoded.getHeight()).isBetween(128, 255);
        assertColour(decoded.getRGB(10, 10), 0x336699, 0);
        assertThat(decoder.decode(png).getWidth()).isEqualTo(640);
    }

    @Test
    void emptyBytesAreRefusedAsEmpty() {
        assertRefused(() -> decoder.decode(new byte[0]), Kind.EMPTY, "no image data");
        assertRefused(() -> decoder.decode(null), Kind.EMPTY, "no image data");
    }

    @Test
    void bytesThatAreNoSupportedPictureAreRefusedAsUnsupported() {
        byte[] random = new byte[1000];
        new Random(42).nextBytes(random);
        byte[] zeros = new byte[100]; // matches the JDK's WBMP signature, which is not a supported format
        String expected = "not a supported image format (expected JPEG, PNG, GIF, BMP, WebP or TIFF)";

        assertRefused(() -> decoder.decode(random), Kind.UNSUPPORTED_FORMAT, expected);
        assertRefused(() -> decoder.decode(zeros), Kind.UNSUPPORTED_FORMAT, expected);
        assertRefused(() -> decoder.decode("<html>cat</html>".getBytes(StandardCharsets.UTF_8)), Kind.UNSUPPORTED_FORMAT, expected);
    }

    @ParameterizedTest
    @CsvSource({"jpeg, 0.1", "jpeg, 0.5", "jpeg, 0.9", "png, 0.1", "png, 0.5", "png, 0.9",
        "gif, 0.5", "bmp, 0.5", "webp, 0.5"})
    void truncatedPicturesAreRefusedAsCorrupt(String format, double kept) throws IOException {
        byte[] whole = switch (format) {
            case "jpeg" -> TestImages.jpeg(TestImages.noise(64, 64, 1), false);
            case "webp" -> resource("quadrants-lossy.webp");
            default -> TestImages.encode(TestImages.noise(64, 64, 1), format);
        };
        byte[] truncated = Arrays.copyOf(whole, (int) (whole.length * kept));

        assertRefused(() -> decoder.decode(truncated), Kind.CORRUPT, "damaged or incomplete");
    }

    @Test
    void corruptPixelDataIsRefusedAsCorrupt() {
        byte[] png = TestImages.encode(TestImages.noise(32, 32, 2), "png");
        for (int i = png.length / 2; i < png.length / 2 + 40; i++) {
            png[i] = (byte) ~png[i];
        }

        assertRefused(() -> decoder.decode(png), Kind.CORRUPT, "damaged or incomplete");
    }

    @Test
    void zeroSizedHeaderIsRefused() {
        assertThatThrownBy(() -> decoder.decode(TestImages.pngHeaderOnly(0, 0)))
                .isInstanceOfSatisfying(ImageDecodingException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CORRUPT));
    }

    /** 10^10 pixels would need 40 GB; the header alone must be enough to refuse, quickly and in a 1 GB heap. */
    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void hugePngHeaderIsRefusedBeforeDecoding() {
        assertRefused(() -> decoder.decode(TestImages.pngHeaderOnly(100_000, 100_000)), Kind.TOO_LARGE,
                "image is 100000x100000 pixels, above the limit of 40 megapixels");
    }

    /** Under the pixel limit, but one side alone would need a 117 MB row (or 40 million rows to inflate). */
    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void aSideAboveTheLimitIsRefusedFromTheHeaderWhateverTheArea() {
        assertRefused(() -> decoder.decode(TestImages.pngHeaderOnly(39_000_000, 1), 64, 64), Kind.TOO_LARGE,
                "image is 39000000x1 pixels, a side above the limit of 16384 pixels");
        assertRefused(() -> decoder.decode(TestImages.pngHeaderOnly(1, 40_000_000), 64, 64), Kind.TOO_LARGE,
                "a side above the limit");
        byte[] wideJpeg = TestImages.withJpegSize(TestImages.jpeg(TestImages.solid(16, 16, RED), false), 65_535, 16);
        assertRefused(() -> decoder.decode(wideJpeg, 64, 64), Kind.TOO_LARGE, "image is 65535x16 pixels, a side");
        byte[] png = TestImages.encode(TestImages.solid(30, 2, RED), "png");
        assertRefused(() -> new ImageDecoder(1000, 29).decode(png), Kind.TOO_LARGE, "above the limit of 29 pixels");
        assertThat(new ImageDecoder(1000, 30).decode(png).getWidth()).isEqualTo(30);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void hugeJpegHeaderIsRefusedBeforeDecoding() {
        byte[] jpeg = TestImages.withJpegSize(TestImages.jpeg(TestImages.solid(16, 16, RED), false), 65_535, 65_535);

        assertRefused(() -> decoder.decode(jpeg, 64, 64), Kind.TOO_LARGE, "image is 65535x65535 pixels");
    }

    @Test
    void pixelLimitIsConfigurable() {
        byte[] png = TestImages.encode(TestImages.solid(20, 20, RED), "png");

        assertRefused(() -> new ImageDecoder(399, ImageDecoder.DEFAULT_MAX_SIDE).decode(png), Kind.TOO_LARGE,
                "image is 20x20 pixels, above the limit of 399 pixels");
        assertThat(new ImageDecoder(400, ImageDecoder.DEFAULT_MAX_SIDE).decode(png).getWidth()).isEqualTo(20);
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = ImageDecoderTest.class.getResourceAsStream("/images/" + name)) {
            assertThat(in).as("test resource /images/" + name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static boolean hasMarker(byte[] jpeg, int marker) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == marker) {
                return true;
            }
        }
        return false;
    }
}
