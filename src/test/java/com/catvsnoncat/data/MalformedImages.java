package com.catvsnoncat.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * A corpus of hostile and broken pictures, generated (never stored): truncations, bit flips, overwritten runs,
 * headers that lie about the size, decompression bombs (an all-zero 10000x10000 PNG, a 6000x6000 one just under the
 * pixel limit, huge zTXt and iCCP chunks), a 1000-frame GIF, a PNG palette of 1000 entries, 0x0 and 1x1 pictures,
 * other formats and bytes labelled as what they are not, and an empty body. Deterministic for a given seed.
 */
public final class MalformedImages {
    /**
     * One generated body.
     *
     * @param name        what it is, for the report
     * @param contentType the Content-Type it is sent with (often a lie)
     * @param bytes       the body
     */
    public record Sample(String name, String contentType, byte[] bytes) {
    }

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int TRUNCATIONS = 40;
    private static final int BIT_FLIPS = 100;
    private static final int OVERWRITES = 40;

    private MalformedImages() {
    }

    /** At least {@code 1000} samples. */
    public static List<Sample> corpus(long seed) {
        Random random = new Random(seed);
        List<Sample> samples = new ArrayList<>();
        List<Sample> seeds = seeds(random);
        for (Sample valid : seeds) {
            samples.add(valid);
            byte[] bytes = valid.bytes();
            for (int i = 1; i <= TRUNCATIONS; i++) {
                int length = (int) ((long) bytes.length * i / (TRUNCATIONS + 1));
                samples.add(new Sample(valid.name() + " cut at " + length, valid.contentType(),
                        Arrays.copyOf(bytes, length)));
            }
            for (int i = 0; i < BIT_FLIPS; i++) {
                byte[] flipped = bytes.clone();
                int flips = 1 + random.nextInt(8);
                for (int f = 0; f < flips; f++) {
                    int bit = random.nextInt(flipped.length * 8);
                    flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                samples.add(new Sample(valid.name() + " with " + flips + " bits flipped", valid.contentType(),
                        flipped));
            }
            for (int i = 0; i < OVERWRITES; i++) {
                byte[] overwritten = bytes.clone();
                int start = random.nextInt(overwritten.length);
                int length = Math.min(overwritten.length - start, 1 + random.nextInt(64));
                Arrays.fill(overwritten, start, start + length, (byte) (i % 2 == 0 ? 0 : 0xff));
                samples.add(new Sample(valid.name() + " overwritten at " + start, valid.contentType(), overwritten));
            }
        }
        byte[] png = seeds.get(0).bytes();
        for (int[] size : new int[][] {{0, 0}, {0, 60}, {1, 0}, {65535, 65535}, {100_000, 100_000},
                {Integer.MAX_VALUE, 1}, {-1, -1}, {1, Integer.MAX_VALUE}, {80_000, 1}, {8000, 6000}}) {
            samples.add(new Sample("PNG claiming " + size[0] + "x" + size[1], "image/png",
                    pngWithSize(png, size[0], size[1], true)));
            samples.add(new Sample("PNG claiming " + size[0] + "x" + size[1] + ", bad CRC", "image/png",
                    pngWithSize(png, size[0], size[1], false)));
        }
        byte[] jpeg = seeds.get(1).bytes();
        for (int[] size : new int[][] {{0, 0}, {65535, 65535}, {65535, 1}, {1, 65535}, {8000, 6000}, {1, 1}}) {
            samples.add(new Sample("JPEG claiming " + size[0] + "x" + size[1], "image/jpeg",
                    jpegWithSize(jpeg, size[0], size[1])));
        }
        byte[] gif = seeds.get(2).bytes();
        for (int[] size : new int[][] {{0, 0}, {65535, 65535}, {1, 1}}) {
            byte[] lying = gif.clone();
            lying[6] = (byte) size[0];
            lying[7] = (byte) (size[0] >> 8);
            lying[8] = (byte) size[1];
            lying[9] = (byte) (size[1] >> 8);
            samples.add(new Sample("GIF screen claiming " + size[0] + "x" + size[1], "image/gif", lying));
        }
        byte[] bmp = seeds.get(3).bytes();
        for (int[] size : new int[][] {{0, 0}, {100_000, 100_000}, {-80, -60}, {80, Integer.MIN_VALUE}}) {
            byte[] lying = bmp.clone();
            littleEndianInt(lying, 18, size[0]);
            littleEndianInt(lying, 22, size[1]);
            samples.add(new Sample("BMP claiming " + size[0] + "x" + size[1], "image/bmp", lying));
        }
        samples.addAll(bombs(png));
        samples.addAll(oddities(seeds));
        return samples;
    }

    /** Valid pictures of every supported format: the mutations start from these. */
    private static List<Sample> seeds(Random random) {
        BufferedImage image = new BufferedImage(80, 60, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 80; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000) & 0x3f3f3f | (x * 3) << 16 | (y * 4) << 8);
            }
        }
        List<Sample> seeds = new ArrayList<>();
        seeds.add(new Sample("PNG", "image/png", encode(image, "png")));
        seeds.add(new Sample("JPEG", "image/jpeg", encode(image, "jpeg")));
        seeds.add(new Sample("GIF", "image/gif", encode(image, "gif")));
        seeds.add(new Sample("BMP", "image/bmp", encode(image, "bmp")));
        seeds.add(new Sample("WebP", "image/webp", resource("/images/quadrants-lossy.webp")));
        seeds.add(new Sample("WebP lossless", "image/webp", resource("/images/quadrants-lossless.webp")));
        return seeds;
    }

    /** Small files that expand enormously if a decoder trusts them. */
    private static List<Sample> bombs(byte[] png) {
        List<Sample> bombs = new ArrayList<>();
        bombs.add(new Sample("all-zero grey PNG 10000x10000", "image/png", zeroPng(10_000, 10_000)));
        bombs.add(new Sample("all-zero grey PNG 6000x6000 (under the pixel limit)", "image/png",
                zeroPng(6000, 6000)));
        bombs.add(new Sample("PNG with a 64 MB zTXt chunk", "image/png",
                withChunk(png, "zTXt", concat("Comment\0\0".getBytes(StandardCharsets.ISO_8859_1),
                        deflatedZeros(64 << 20)))));
        bombs.add(new Sample("PNG with a 64 MB iCCP profile", "image/png",
                withChunk(png, "iCCP", concat("bomb\0\0".getBytes(StandardCharsets.ISO_8859_1),
                        deflatedZeros(64 << 20)))));
        bombs.add(new Sample("PNG with a 1 MB tEXt chunk", "image/png",
                withChunk(png, "tEXt", concat("Comment\0".getBytes(StandardCharsets.ISO_8859_1),
                        "x".repeat(1 << 20).getBytes(StandardCharsets.ISO_8859_1)))));
        bombs.add(new Sample("GIF of 1000 frames", "image/gif", animatedGif(1000)));
        return bombs;
    }

    private static List<Sample> oddities(List<Sample> seeds) {
        byte[] png = seeds.get(0).bytes();
        byte[] jpeg = seeds.get(1).bytes();
        List<Sample> odd = new ArrayList<>();
        odd.add(new Sample("empty body", "image/png", new byte[0]));
        odd.add(new Sample("JPEG labelled image/png", "image/png", jpeg));
        odd.add(new Sample("PNG labelled image/jpeg", "image/jpeg", png));
        odd.add(new Sample("PNG as application/octet-stream", "application/octet-stream", png));
        odd.add(new Sample("1x1 PNG", "image/png", encode(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "png")));
        odd.add(new Sample("1x1 JPEG", "image/jpeg",
                encode(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "jpeg")));
        odd.add(new Sample("1x1 GIF", "image/gif", encode(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "gif")));
        odd.add(new Sample("PNG with a 1000-entry palette", "image/png", hugePalette()));
        odd.add(new Sample("PNG without IEND", "image/png", Arrays.copyOf(png, png.length - 12)));
        odd.add(new Sample("PNG signature only", "image/png", PNG_SIGNATURE.clone()));
        odd.add(new Sample("JPEG start marker only", "image/jpeg", new byte[] {(byte) 0xff, (byte) 0xd8}));
        odd.add(new Sample("GIF header only", "image/gif", "GIF89a".getBytes(StandardCharsets.US_ASCII)));
        odd.add(new Sample("TIFF", "image/tiff", encode(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "tiff")));
        odd.add(new Sample("SVG", "image/svg+xml",
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"99999\" height=\"99999\"/>".getBytes(
                        StandardCharsets.UTF_8)));
        odd.add(new Sample("HTML", "image/png", "<html><script>alert(1)</script></html>".getBytes(
                StandardCharsets.UTF_8)));
        odd.add(new Sample("random bytes", "image/jpeg", randomBytes(4096, 99)));
        odd.add(new Sample("one zero byte", "image/png", new byte[1]));
        return odd;
    }

    static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PNG whose IHDR says width x height; the rest of the file unchanged. */
    private static byte[] pngWithSize(byte[] png, int width, int height, boolean fixCrc) {
        byte[] lying = png.clone();
        // Signature (8), IHDR length (4) and type (4), then width and height.
        bigEndianInt(lying, 16, width);
        bigEndianInt(lying, 20, height);
        if (fixCrc) {
            CRC32 crc = new CRC32();
            crc.update(lying, 12, 4 + 13);
            bigEndianInt(lying, 33, (int) crc.getValue());
        }
        return lying;
    }

    /** A JPEG whose first SOF marker says width x height. */
    private static byte[] jpegWithSize(byte[] jpeg, int width, int height) {
        byte[] lying = jpeg.clone();
        for (int i = 2; i + 9 < lying.length; i++) {
            int marker = lying[i + 1] & 0xff;
            if ((lying[i] & 0xff) == 0xff && marker >= 0xc0 && marker <= 0xc3) {
                lying[i + 5] = (byte) (height >> 8);
                lying[i + 6] = (byte) height;
                lying[i + 7] = (byte) (width >> 8);
                lying[i + 8] = (byte) width;
                return lying;
            }
        }
        throw new IllegalStateException("no SOF marker");
    }

    /** An 8-bit grey PNG of zeros: a few hundred kB that inflate to width x height bytes. */
    private static byte[] zeroPng(int width, int height) {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try (DeflaterOutputStream out = new DeflaterOutputStream(idat, deflater, 1 << 16)) {
            byte[] row = new byte[width + 1]; // filter byte 0, then the pixels
            for (int y = 0; y < height; y++) {
                out.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream header = new DataOutputStream(ihdr);
        try {
            header.writeInt(width);
            header.writeInt(height);
            header.write(new byte[] {8, 0, 0, 0, 0}); // 8-bit grey, deflate, adaptive filters, no interlace
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return concat(PNG_SIGNATURE, chunk("IHDR", ihdr.toByteArray()), chunk("IDAT", idat.toByteArray()),
                chunk("IEND", new byte[0]));
    }

    private static byte[] deflatedZeros(int size) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try (DeflaterOutputStream out = new DeflaterOutputStream(bytes, deflater, 1 << 16)) {
            byte[] block = new byte[1 << 16];
            for (int written = 0; written < size; written += block.length) {
                out.write(block);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        return bytes.toByteArray();
    }

    /** The PNG with a chunk inserted right after IHDR. */
    private static byte[] withChunk(byte[] png, String type, byte[] data) {
        int afterIhdr = 8 + 4 + 4 + 13 + 4;
        return concat(Arrays.copyOf(png, afterIhdr), chunk(type, data),
                Arrays.copyOfRange(png, afterIhdr, png.length));
    }

    /** An 8x8 palette PNG whose PLTE chunk has 1000 entries (the format allows 256). */
    private static byte[] hugePalette() {
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        try {
            DataOutputStream header = new DataOutputStream(ihdr);
            header.writeInt(8);
            header.writeInt(8);
            header.write(new byte[] {8, 3, 0, 0, 0}); // 8-bit palette indices
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(idat)) {
            out.write(new byte[8 * 9]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return concat(PNG_SIGNATURE, chunk("IHDR", ihdr.toByteArray()), chunk("PLTE", randomBytes(3000, 5)),
                chunk("IDAT", idat.toByteArray()), chunk("IEND", new byte[0]));
    }

    private static byte[] animatedGif(int frames) {
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.prepareWriteSequence(null);
                for (int i = 0; i < frames; i++) {
                    BufferedImage frame = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_INDEXED);
                    frame.setRGB(i % 16, (i / 16) % 16, 0xffffff);
                    IIOMetadata metadata = writer.getDefaultImageMetadata(
                            ImageTypeSpecifier.createFromRenderedImage(frame), null);
                    IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(metadata.getNativeMetadataFormatName());
                    IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                    control.setAttribute("disposalMethod", "none");
                    control.setAttribute("userInputFlag", "FALSE");
                    control.setAttribute("transparentColorFlag", "FALSE");
                    control.setAttribute("delayTime", "1");
                    control.setAttribute("transparentColorIndex", "0");
                    root.appendChild(control);
                    metadata.setFromTree(metadata.getNativeMetadataFormatName(), root);
                    writer.writeToSequence(new IIOImage(frame, null, metadata), null);
                }
                writer.endWriteSequence();
            } finally {
                writer.dispose();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] chunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        byte[] chunk = new byte[12 + data.length];
        bigEndianInt(chunk, 0, data.length);
        System.arraycopy(typeBytes, 0, chunk, 4, 4);
        System.arraycopy(data, 0, chunk, 8, data.length);
        bigEndianInt(chunk, 8 + data.length, (int) crc.getValue());
        return chunk;
    }

    private static byte[] resource(String path) {
        try (InputStream in = MalformedImages.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static void bigEndianInt(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
    }

    private static void littleEndianInt(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) value;
        bytes[offset + 1] = (byte) (value >>> 8);
        bytes[offset + 2] = (byte) (value >>> 16);
        bytes[offset + 3] = (byte) (value >>> 24);
    }
}
