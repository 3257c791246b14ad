package com.catvsnoncat.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReducedJpegDecoderTest {
    private static final long NO_LIMIT = Long.MAX_VALUE;
    private static final int NO_SIDE_LIMIT = Integer.MAX_VALUE;

    @ParameterizedTest
    @CsvSource({"640, 480, 0", "643, 487, 0", "640, 480, 3", "1000, 750, 0"})
    void eachPixelIsTheAverageOfItsBlockInTheFullDecode(int width, int height, int restartInterval)
            throws IOException {
        byte[] jpeg = jpeg(smooth(width, height, BufferedImage.TYPE_INT_RGB), restartInterval);
        BufferedImage full = ImageIO.read(new ByteArrayInputStream(jpeg));

        BufferedImage reduced = ReducedJpegDecoder.decode(jpeg, NO_LIMIT, NO_SIDE_LIMIT, 1, 1);

        assertThat(reduced.getWidth()).isEqualTo((width + 7) / 8);
        assertThat(reduced.getHeight()).isEqualTo((height + 7) / 8);
        // Chroma is repeated over 16x16 pixels here (as libjpeg does at 1/8 scale) where the full decode
        // interpolates it, hence some tolerance where the colour changes quickly.
        Difference difference = difference(reduced, blockAverages(full));
        assertThat(difference.mean()).isLessThan(1.0);
        assertThat(difference.max()).isLessThanOrEqualTo(16);
    }

    @Test
    void greyJpegsKeepTheirGreyLevels() throws IOException {
        byte[] jpeg = jpeg(smooth(320, 240, BufferedImage.TYPE_BYTE_GRAY), 0);
        BufferedImage full = ImageIO.read(new ByteArrayInputStream(jpeg));

        BufferedImage reduced = ReducedJpegDecoder.decode(jpeg, NO_LIMIT, NO_SIDE_LIMIT, 1, 1);

        assertThat(difference(reduced, blockAverages(full)).max()).isLessThanOrEqualTo(1);
        int rgb = reduced.getRGB(10, 10);
        assertThat(rgb >> 16 & 0xff).isEqualTo(rgb & 0xff).isEqualTo(rgb >> 8 & 0xff);
    }

    @ParameterizedTest
    @CsvSource({"true, 1.0", "false, 3.0"})
    void detailedPicturesDecodeToo(boolean grey, double meanTolerance) throws IOException {
        // Noise of moderate amplitude: many AC coefficients and long codes, but no clipping in the full decode
        // (which would shift its block averages). In colour, the full decode's interpolated chroma mixes in the
        // neighbouring blocks' noise, hence the larger tolerance.
        byte[] jpeg = jpeg(moderateNoise(512, 384, grey ? BufferedImage.TYPE_BYTE_GRAY
                : BufferedImage.TYPE_INT_RGB), 0);

        BufferedImage reduced = ReducedJpegDecoder.decode(jpeg, NO_LIMIT, NO_SIDE_LIMIT, 1, 1);

        Difference difference = difference(reduced, blockAverages(ImageIO.read(new ByteArrayInputStream(jpeg))));
        assertThat(difference.mean()).isLessThan(meanTolerance);
    }

    @Test
    void coloursLandOnTheirOwnBlocks() {
        BufferedImage quadrants = TestImages.quadrants(640, BufferedImage.TYPE_INT_RGB);

        BufferedImage reduced = ReducedJpegDecoder.decode(TestImages.jpeg(quadrants, false), NO_LIMIT, NO_SIDE_LIMIT, 1, 1);

        assertThat(reduced.getWidth()).isEqualTo(80);
        ImageAssertions.assertColour(reduced.getRGB(20, 20), TestImages.RED, 4);
        ImageAssertions.assertColour(reduced.getRGB(60, 20), TestImages.GREEN, 4);
        ImageAssertions.assertColour(reduced.getRGB(20, 60), TestImages.BLUE, 4);
        ImageAssertions.assertColour(reduced.getRGB(60, 60), TestImages.WHITE, 4);
    }

    @Test
    void whatItDoesNotHandleIsLeftToTheOrdinaryDecoder() {
        BufferedImage picture = smooth(640, 480, BufferedImage.TYPE_INT_RGB);
        byte[] baseline = TestImages.jpeg(picture, false);

        assertThat(ReducedJpegDecoder.decode(TestImages.jpeg(picture, true), NO_LIMIT, NO_SIDE_LIMIT, 1, 1)).as("progressive")
                .isNull();
        assertThat(ReducedJpegDecoder.decode(TestImages.cmykJpeg(256, new int[] {0, 0, 0, 0},
                new int[] {255, 0, 0, 0}), NO_LIMIT, NO_SIDE_LIMIT, 1, 1)).as("CMYK").isNull();
        assertThat(ReducedJpegDecoder.decode(TestImages.encode(picture, "png"), NO_LIMIT, NO_SIDE_LIMIT, 1, 1)).as("PNG").isNull();
        assertThat(ReducedJpegDecoder.decode(baseline, 640 * 480 - 1, NO_SIDE_LIMIT, 1, 1)).as("above the pixel limit").isNull();
        assertThat(ReducedJpegDecoder.decode(TestImages.withJpegSize(baseline, 65_535, 65_535),
                ImageDecoder.DEFAULT_MAX_PIXELS, NO_SIDE_LIMIT, 1, 1)).as("a huge header, refused before allocating").isNull();
        assertThat(ReducedJpegDecoder.decode(baseline, NO_LIMIT, 639, 1, 1)).as("a side above the limit").isNull();
        assertThat(ReducedJpegDecoder.decode(baseline, NO_LIMIT, NO_SIDE_LIMIT, 81, 1)).as("smaller than wanted").isNull();
        assertThat(ReducedJpegDecoder.decode(baseline, NO_LIMIT, NO_SIDE_LIMIT, 80, 60)).as("just large enough").isNotNull();
        assertThat(ReducedJpegDecoder.decode(withHuffmanSegmentsRepeated(baseline, 4), NO_LIMIT, NO_SIDE_LIMIT, 1, 1))
                .as("its tables defined 4 times over").isNotNull();
        assertThat(ReducedJpegDecoder.decode(withHuffmanSegmentsRepeated(baseline, 5), NO_LIMIT, NO_SIDE_LIMIT, 1, 1))
                .as("its tables defined 5 times over").isNull();
    }

    @Test
    void aJpegRedefiningItsTablesManyTimesStillDecodes() {
        byte[] jpeg = withHuffmanSegmentsRepeated(TestImages.jpeg(smooth(640, 480, BufferedImage.TYPE_INT_RGB), false), 50);

        BufferedImage decoded = new ImageDecoder().decode(jpeg, 64, 64);

        // The ordinary decoder's reduced resolution: each side at least twice the target.
        assertThat(decoded.getWidth()).isGreaterThanOrEqualTo(128);
        assertThat(decoded.getHeight()).isGreaterThanOrEqualTo(128);
    }

    /** The JPEG with each of its DHT segments written {@code times} times in a row (each a valid redefinition). */
    private static byte[] withHuffmanSegmentsRepeated(byte[] jpeg, int times) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int position = 2;
        while (position < jpeg.length && (jpeg[position + 1] & 0xff) != 0xda) {
            int length = ((jpeg[position + 2] & 0xff) << 8) | (jpeg[position + 3] & 0xff);
            boolean huffman = (jpeg[position + 1] & 0xff) == 0xc4;
            for (int i = 0; i < (huffman ? times : 1); i++) {
                out.write(jpeg, position, length + 2);
            }
            position += length + 2;
        }
        out.write(jpeg, position, jpeg.length - position);
        return out.toByteArray();
    }

    @Test
    void truncatedOrDamagedDataIsLeftToTheOrdinaryDecoder() {
        byte[] jpeg = TestImages.jpeg(TestImages.noise(640, 480, 3), false);

        for (double kept : new double[] {0.05, 0.3, 0.6, 0.9, 0.999}) {
            byte[] truncated = Arrays.copyOf(jpeg, (int) (jpeg.length * kept));
            assertThat(ReducedJpegDecoder.decode(truncated, NO_LIMIT, NO_SIDE_LIMIT, 1, 1)).as("kept %s", kept).isNull();
        }
        Random random = new Random(5);
        for (int i = 0; i < 200; i++) {
            byte[] damaged = jpeg.clone();
            damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            // Any outcome but an exception: a picture, or null for the ordinary decoder.
            ReducedJpegDecoder.decode(damaged, NO_LIMIT, NO_SIDE_LIMIT, 1, 1);
        }
    }

    @Test
    void theDecoderUsesItForLargeJpegsAndAppliesTheOrientation() {
        // Stored 1024 wide and 512 high, left half red; orientation 6 turns it 90 degrees clockwise.
        BufferedImage stored = TestImages.solid(1024, 512, TestImages.BLUE);
        for (int y = 0; y < 512; y++) {
            for (int x = 0; x < 512; x++) {
                stored.setRGB(x, y, TestImages.RED);
            }
        }
        byte[] jpeg = TestImages.withExifOrientation(TestImages.jpeg(stored, false), 6);

        BufferedImage decoded = new ImageDecoder().decode(jpeg, 64, 64);

        assertThat(decoded.getWidth()).isEqualTo(64);
        assertThat(decoded.getHeight()).isEqualTo(128);
        ImageAssertions.assertColour(decoded.getRGB(32, 16), TestImages.RED, 8);
        ImageAssertions.assertColour(decoded.getRGB(32, 112), TestImages.BLUE, 8);
    }

    @Test
    void skippingSeveralCoefficientsAtOnceLandsWhereDecodingThemOneByOneDoes() {
        Random random = new Random(17);
        List<int[][]> tables = new ArrayList<>();
        tables.add(STANDARD_LUMINANCE_AC);
        for (int i = 0; i < 30; i++) {
            tables.add(randomAcTable(random));
        }
        for (int[][] table : tables) {
            ReducedJpegDecoder.Huffman huffman = new ReducedJpegDecoder.Huffman(table[0], table[1], true);
            int runBits = Integer.numberOfTrailingZeros(huffman.runs.length);
            int skipping = 0;
            for (int peek = 0; peek < huffman.runs.length; peek++) {
                int run = huffman.runs[peek];
                if (run == 0) {
                    continue;
                }
                skipping++;
                int bits = run & 0x7f;
                boolean endOfBlock = (run & 0x80) != 0;
                int advance = (run >>> 8) - (endOfBlock ? 1 : 0);
                // The same bits decoded the textbook way, a code then its value, with random bits after them: the
                // run must be the first few symbols whole, and end at an end of block if it holds one.
                long stream = (long) peek << 32 | random.nextInt() & 0xffffffffL;
                int at = 0;
                int advanced = 0;
                boolean ended = false;
                while (at < bits) {
                    assertThat(ended).as("nothing after an end of block").isFalse();
                    int[] symbol = canonicalDecode(table, stream, runBits + 32 - at);
                    int rs = symbol[1];
                    at += symbol[0] + (rs & 15);
                    ended = rs == 0;
                    advanced += rs == 0 ? 0 : rs == 0xf0 ? 16 : (rs >> 4) + 1;
                }
                assertThat(at).as("bits of whole symbols").isEqualTo(bits);
                assertThat(advanced).isEqualTo(advance);
                assertThat(ended).isEqualTo(endOfBlock);
            }
            if (table == STANDARD_LUMINANCE_AC) {
                assertThat(skipping).as("entries that skip").isGreaterThan(huffman.runs.length * 9 / 10);
            }
        }
    }

    /** JPEG's own AC luminance table (ITU T.81 Annex K.5), which most encoders use: code counts, then symbols. */
    private static final int[][] STANDARD_LUMINANCE_AC = {
        {0, 0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d},
        {0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71,
            0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72,
            0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36,
            0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57,
            0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78,
            0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98,
            0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7,
            0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6,
            0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3,
            0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa}};

    /** Valid random code lengths for a random choice of AC symbols, the end of block among them. */
    private static int[][] randomAcTable(Random random) {
        List<Integer> pool = new ArrayList<>(List.of(0x00, 0xf0));
        for (int run = 0; run < 16; run++) {
            for (int size = 1; size <= 10; size++) {
                pool.add(run << 4 | size);
            }
        }
        Collections.shuffle(pool, random);
        int[] counts = new int[17];
        int code = 0;
        int total = 0;
        for (int length = 1; length <= 16 && total < pool.size(); length++) {
            // One code of each length is kept free, so no code is all ones.
            int room = (1 << length) - code - 1;
            int count = Math.min(pool.size() - total, random.nextInt(Math.max(1, Math.min(room, 8) + 1)));
            counts[length] = count;
            total += count;
            code = (code + count) << 1;
        }
        int[] symbols = pool.subList(0, total).stream().mapToInt(Integer::intValue).toArray();
        int end = pool.indexOf(0x00);
        if (end >= total) {
            symbols[random.nextInt(total)] = 0x00;
        }
        return new int[][] {counts, symbols};
    }

    /** The Huffman code starting {@code available} bits from the end of {@code stream}: {length, symbol}. */
    private static int[] canonicalDecode(int[][] table, long stream, int available) {
        int[] counts = table[0];
        int code = 0;
        int first = 0;
        int index = 0;
        for (int length = 1; length <= 16; length++) {
            code = code << 1 | (int) (stream >>> (available - length)) & 1;
            if (code - first < counts[length]) {
                return new int[] {length, table[1][index + code - first]};
            }
            index += counts[length];
            first = (first + counts[length]) << 1;
        }
        throw new AssertionError("no code");
    }

    private static BufferedImage moderateNoise(int width, int height, int type) {
        Random random = new Random(11);
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int grey = 64 + random.nextInt(128);
                image.setRGB(x, y, type == BufferedImage.TYPE_BYTE_GRAY ? grey << 16 | grey << 8 | grey
                        : 64 + random.nextInt(128) << 16 | 64 + random.nextInt(128) << 8 | grey);
            }
        }
        return image;
    }

    /** Gradients and a soft disc: what photos mostly are, so block averages are meaningful. */
    private static BufferedImage smooth(int width, int height, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double dx = x - width / 2.0;
                double dy = y - height / 2.0;
                int disc = (int) (120 * Math.exp(-(dx * dx + dy * dy) / (width * height / 8.0)));
                int r = Math.min(255, x * 255 / width / 2 + disc);
                int g = Math.min(255, y * 255 / height / 2 + disc / 2);
                int b = 200 - (x + y) * 150 / (width + height);
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    /** The mean of each 8x8 block (partial at the edges) of the picture, per channel. */
    private static int[][] blockAverages(BufferedImage full) {
        int width = (full.getWidth() + 7) / 8;
        int height = (full.getHeight() + 7) / 8;
        int[][] averages = new int[height][width];
        for (int by = 0; by < height; by++) {
            for (int bx = 0; bx < width; bx++) {
                long[] sums = new long[3];
                int count = 0;
                for (int y = by * 8; y < Math.min(full.getHeight(), by * 8 + 8); y++) {
                    for (int x = bx * 8; x < Math.min(full.getWidth(), bx * 8 + 8); x++) {
                        int rgb = rgb(full, x, y);
                        sums[0] += rgb >> 16 & 0xff;
                        sums[1] += rgb >> 8 & 0xff;
                        sums[2] += rgb & 0xff;
                        count++;
                    }
                }
                averages[by][bx] = (int) Math.round((double) sums[0] / count) << 16
                        | (int) Math.round((double) sums[1] / count) << 8 | (int) Math.round((double) sums[2] / count);
            }
        }
        return averages;
    }

    /** The pixel as stored: getRGB would brighten grey, whose Java colour space is linear. */
    private static int rgb(BufferedImage image, int x, int y) {
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            int grey = image.getRaster().getSample(x, y, 0);
            return grey << 16 | grey << 8 | grey;
        }
        return image.getRGB(x, y);
    }

    private record Difference(int max, double mean) {
    }

    /** Channel differences, over blocks away from the right and bottom edge (partial blocks there). */
    private static Difference difference(BufferedImage reduced, int[][] expected) {
        int max = 0;
        long sum = 0;
        int count = 0;
        for (int y = 0; y < expected.length - 1; y++) {
            for (int x = 0; x < expected[0].length - 1; x++) {
                int a = reduced.getRGB(x, y);
                int b = expected[y][x];
                for (int shift = 0; shift <= 16; shift += 8) {
                    int difference = Math.abs((a >> shift & 0xff) - (b >> shift & 0xff));
                    max = Math.max(max, difference);
                    sum += difference;
                    count++;
                }
            }
        }
        return new Difference(max, (double) sum / count);
    }

    /** A baseline JPEG from the JDK's writer, quality 0.9, with a restart marker every so many MCUs (0: none). */
    private static byte[] jpeg(BufferedImage image, int restartInterval) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.9f);
        IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), param);
        if (restartInterval > 0) {
            String format = "javax_imageio_jpeg_image_1.0";
            IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
            IIOMetadataNode dri = new IIOMetadataNode("dri");
            dri.setAttribute("interval", Integer.toString(restartInterval));
            IIOMetadataNode markers = (IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0);
            markers.insertBefore(dri, markers.getFirstChild());
            metadata.setFromTree(format, root);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, metadata), param);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = bytes.toByteArray();
        if (restartInterval > 0) {
            assertThat(hasRestartMarker(jpeg)).as("the writer put restart markers").isTrue();
        }
        return jpeg;
    }

    private static boolean hasRestartMarker(byte[] jpeg) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) >= 0xd0 && (jpeg[i + 1] & 0xff) <= 0xd7) {
                return true;
            }
        }
        return false;
    }
}
