package com.catvsnoncat.data;

import static com.catvsnoncat.data.ImageAssertions.assertQuadrants;
import static com.catvsnoncat.data.ImageAssertions.assertRefused;
import static com.catvsnoncat.data.TestImages.BLUE;
import static com.catvsnoncat.data.TestImages.GREEN;
import static com.catvsnoncat.data.TestImages.RED;
import static com.catvsnoncat.data.TestImages.WHITE;
import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.data.ImageDecodingException.Kind;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TIFF decodes like the other lossless formats; HEIC and AVIF, which phones take, are named in the refusal. */
class TiffAndPhoneFormatsTest {
    private final ImageDecoder decoder = new ImageDecoder();

    @ParameterizedTest
    @ValueSource(strings = {"None", "LZW", "Deflate", "PackBits"})
    void tiffDecodesToTheExactColoursWithEveryCommonCompression(String compression) {
        byte[] tiff = tiff(compression, TestImages.quadrants(32, BufferedImage.TYPE_INT_RGB));

        BufferedImage decoded = decoder.decode(tiff);

        assertThat(decoded.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertQuadrants(decoded, RED, GREEN, BLUE, WHITE, 0);
    }

    @Test
    void sixteenBitTiffIsReducedTo8Bits() {
        BufferedImage image = sixteenBitRgb(8, 8, 0x1234, 0xabcd, 0xffff);

        BufferedImage decoded = decoder.decode(tiff("Deflate", image));

        // 16-bit v becomes round(v / 257), as for 16-bit PNG.
        assertThat(decoded.getRGB(3, 3) & 0xffffff).isEqualTo(0x12 << 16 | 0xab << 8 | 0xff);
    }

    @Test
    void multiPageTiffGivesItsFirstPage() {
        byte[] tiff = tiff("LZW", TestImages.solid(16, 16, RED), TestImages.solid(16, 16, BLUE));

        BufferedImage decoded = decoder.decode(tiff);

        assertThat(decoded.getRGB(8, 8) & 0xffffff).isEqualTo(RED);
    }

    @Test
    void largeTiffIsSubsampledWhileDecoding() {
        BufferedImage decoded = decoder.decode(tiff("Deflate", TestImages.solid(1024, 512, GREEN)), 64, 64);

        assertThat(decoded.getWidth()).isEqualTo(128);
        assertThat(decoded.getRGB(10, 10) & 0xffffff).isEqualTo(GREEN);
    }

    /** A TIFF header announcing 100000 x 100000 pixels and no pixel data: refused from the header alone. */
    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void hugeTiffHeaderIsRefusedBeforeDecoding() {
        assertRefused(() -> decoder.decode(tiffHeader(100_000, 100_000)), Kind.TOO_LARGE,
                "image is 100000x100000 pixels, above the limit of 40 megapixels");
        assertRefused(() -> decoder.decode(tiffHeader(100_000, 10)), Kind.TOO_LARGE,
                "image is 100000x10 pixels, a side above the limit of 16384 pixels");
        assertRefused(() -> new ImageDecoder(399, 16_384).decode(tiff("None", TestImages.solid(20, 20, RED))),
                Kind.TOO_LARGE, "image is 20x20 pixels, above the limit of 399 pixels");
    }

    @Test
    void truncatedTiffIsRefusedAsCorrupt() {
        byte[] whole = tiff("None", TestImages.noise(64, 64, 3));

        assertRefused(() -> decoder.decode(Arrays.copyOf(whole, whole.length / 2)), Kind.CORRUPT,
                "damaged or incomplete");
    }

    @ParameterizedTest
    @ValueSource(strings = {"heic", "heix", "mif1/heic", "avif", "mif1/avif"})
    void phonePicturesAreNamedAndConversionIsSuggested(String brands) {
        String name = brands.contains("avif") ? "AVIF" : "HEIC";

        assertRefused(() -> decoder.decode(isoMediaFile(brands.split("/"))), Kind.UNSUPPORTED_FORMAT,
                name + " pictures are not supported: convert the picture to JPEG or PNG first");
        assertRefused(() -> decoder.decode(isoMediaFile(brands.split("/"))), Kind.UNSUPPORTED_FORMAT,
                "accepted formats: JPEG, PNG, GIF, BMP, WebP or TIFF");
    }

    @Test
    void otherIsoMediaFilesAreJustUnsupported() {
        assertRefused(() -> decoder.decode(isoMediaFile("isom", "mp41")), Kind.UNSUPPORTED_FORMAT,
                "not a supported image format (expected JPEG, PNG, GIF, BMP, WebP or TIFF)");
    }

    /** The first box of a HEIF/MP4 file: ftyp with a major brand and the compatible brands, then some bytes. */
    private static byte[] isoMediaFile(String... brands) {
        ByteBuffer box = ByteBuffer.allocate(16 + 4 * brands.length + 64);
        box.putInt(16 + 4 * brands.length).put("ftyp".getBytes(StandardCharsets.US_ASCII))
                .put(brands[0].getBytes(StandardCharsets.US_ASCII)).putInt(0);
        for (String brand : brands) {
            box.put(brand.getBytes(StandardCharsets.US_ASCII));
        }
        return box.array();
    }

    /** Big-endian TIFF with one IFD: width, height, 8-bit RGB, one strip at an offset past the end. */
    private static byte[] tiffHeader(int width, int height) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 8 * 12 + 4 + 6);
        tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8).putShort((short) 8);
        entry(tiff, 256, 4, width); // ImageWidth, LONG
        entry(tiff, 257, 4, height); // ImageLength
        entry(tiff, 258, 3, 8); // BitsPerSample (one value stands for all three here)
        entry(tiff, 259, 3, 1); // Compression: none
        entry(tiff, 262, 3, 2); // PhotometricInterpretation: RGB
        entry(tiff, 273, 4, 4096); // StripOffsets
        entry(tiff, 277, 3, 3); // SamplesPerPixel
        entry(tiff, 279, 4, Integer.MAX_VALUE); // StripByteCounts
        tiff.putInt(0);
        return tiff.array();
    }

    private static void entry(ByteBuffer tiff, int tag, int type, int value) {
        tiff.putShort((short) tag).putShort((short) type).putInt(1);
        if (type == 3) {
            tiff.putShort((short) value).putShort((short) 0);
        } else {
            tiff.putInt(value);
        }
    }

    private static ImageWriter jdkTiffWriter() {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("tiff");
        while (writers.hasNext()) {
            ImageWriter writer = writers.next();
            if (writer.getClass().getName().startsWith("com.sun.")) {
                return writer;
            }
            writer.dispose();
        }
        throw new IllegalStateException("the JDK's TIFF writer is not registered");
    }

    private static BufferedImage sixteenBitRgb(int width, int height, int red, int green, int blue) {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setPixel(x, y, new int[] {red, green, blue});
            }
        }
        return new BufferedImage(model, raster, false, null);
    }

    /**
     * The pages as one TIFF, written with the given compression ("None" for none) by the JDK's writer: another
     * implementation than the reader under test, and one that writes 16-bit samples compressed.
     */
    private static byte[] tiff(String compression, BufferedImage... pages) {
        ImageWriter writer = jdkTiffWriter();
        ImageWriteParam param = writer.getDefaultWriteParam();
        if (!compression.equals("None")) {
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType(compression);
        }
        return TestImages.sequence(writer, param, pages);
    }
}
