package com.catvsnoncat.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Pictures made on the fly for the data path tests, and the byte surgery to make odd ones. */
public final class TestImages {
    static final int RED = 0xff0000;
    static final int GREEN = 0x00ff00;
    static final int BLUE = 0x0000ff;
    static final int WHITE = 0xffffff;

    private TestImages() {
    }

    /** size x size, quadrants red (top left), green (top right), blue (bottom left), white (bottom right). */
    static BufferedImage quadrants(int size, int type) {
        BufferedImage image = new BufferedImage(size, size, type);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.setRGB(x, y, y < size / 2 ? (x < size / 2 ? RED : GREEN) : (x < size / 2 ? BLUE : WHITE));
            }
        }
        return image;
    }

    static BufferedImage solid(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    /** Random colours: compresses badly, so truncating the file cuts into the pixel data. */
    static BufferedImage noise(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            assertThat(ImageIO.write(image, format, out)).as("an ImageIO writer for " + format).isTrue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A JPEG from the JDK's own writer (TwelveMonkeys registers one first), quality 0.95. */
    static byte[] jpeg(BufferedImage image, boolean progressive) {
        ImageWriter writer = jdkJpegWriter();
        ImageWriteParam param = writer.getDefaultWriteParam();
        if (progressive) {
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        } else {
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.95f);
        }
        return write(writer, new IIOImage(image, null, null), param);
    }

    /**
     * A CMYK JPEG as Photoshop writes them: the JDK writer stores a 4-band raster's samples as they are, and an
     * Adobe APP14 segment (transform 0) inserted after SOI marks them as inverted CMYK (255 = no ink).
     *
     * @param cmyk per pixel C, M, Y, K in 0..255 (255 = full ink), given for the left and right halves
     */
    static byte[] cmykJpeg(int size, int[] leftCmyk, int[] rightCmyk) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, size, size, 4, null);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int[] ink = x < size / 2 ? leftCmyk : rightCmyk;
                raster.setPixel(x, y, new int[] {255 - ink[0], 255 - ink[1], 255 - ink[2], 255 - ink[3]});
            }
        }
        byte[] jpeg = write(jdkJpegWriter(), new IIOImage(raster, null, null), null);
        byte[] adobe = {(byte) 0xff, (byte) 0xee, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        return insertAfterSoi(jpeg, adobe);
    }

    /** The JPEG with an APP1 Exif segment holding only IFD0 with the Orientation tag (0x0112) set. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = tiffWithOrientation(orientation);
        ByteArrayOutputStream segment = new ByteArrayOutputStream();
        int length = 2 + 6 + tiff.length;
        segment.writeBytes(new byte[] {(byte) 0xff, (byte) 0xe1, (byte) (length >> 8), (byte) length});
        segment.writeBytes("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
        segment.writeBytes(tiff);
        return insertAfterSoi(jpeg, segment.toByteArray());
    }

    /** The PNG with an eXIf chunk (TIFF data with the Orientation tag) right after IHDR. */
    static byte[] withPngExifOrientation(byte[] png, int orientation) {
        byte[] chunk = pngChunk("eXIf", tiffWithOrientation(orientation));
        int afterIhdr = 8 + 8 + 13 + 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, afterIhdr);
        out.writeBytes(chunk);
        out.write(png, afterIhdr, png.length - afterIhdr);
        return out.toByteArray();
    }

    /** Big-endian TIFF: header, IFD0 with one SHORT entry (Orientation), no next IFD. */
    private static byte[] tiffWithOrientation(int orientation) {
        return new byte[] {
            'M', 'M', 0, 42, 0, 0, 0, 8,
            0, 1,
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0,
            0, 0, 0, 0};
    }

    /** A PNG signature and an IHDR (8-bit RGB) announcing this size, with nothing after it. */
    static byte[] pngHeaderOnly(int width, int height) {
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(ihdr)) {
            data.writeInt(width);
            data.writeInt(height);
            data.write(new byte[] {8, 2, 0, 0, 0});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        out.writeBytes(pngChunk("IHDR", ihdr.toByteArray()));
        return out.toByteArray();
    }

    /** One PNG chunk: length, type, data and the CRC over type and data. */
    public static byte[] pngChunk(String type, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream chunk = new DataOutputStream(out)) {
            byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
            CRC32 crc = new CRC32();
            crc.update(typeBytes);
            crc.update(data);
            chunk.writeInt(data.length);
            chunk.write(typeBytes);
            chunk.write(data);
            chunk.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The JPEG with the height and width of its first SOFn segment replaced. */
    static byte[] withJpegSize(byte[] jpeg, int width, int height) {
        byte[] patched = jpeg.clone();
        int position = 2;
        while (position + 4 < patched.length) {
            int marker = patched[position + 1] & 0xff;
            int length = (patched[position + 2] & 0xff) << 8 | (patched[position + 3] & 0xff);
            if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc) {
                patched[position + 5] = (byte) (height >> 8);
                patched[position + 6] = (byte) height;
                patched[position + 7] = (byte) (width >> 8);
                patched[position + 8] = (byte) width;
                return patched;
            }
            position += 2 + length;
        }
        throw new IllegalArgumentException("no SOF segment");
    }

    /** An animated GIF with one frame per colour, all size x size. */
    static byte[] animatedGif(int size, int... colours) {
        BufferedImage[] frames = new BufferedImage[colours.length];
        for (int i = 0; i < colours.length; i++) {
            frames[i] = solid(size, size, colours[i]);
        }
        return sequence(ImageIO.getImageWritersByFormatName("gif").next(), null, frames);
    }

    /** The images as one file of several frames or pages, written by {@code writer} (disposed after). */
    static byte[] sequence(ImageWriter writer, ImageWriteParam param, BufferedImage... images) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (BufferedImage image : images) {
                writer.writeToSequence(new IIOImage(image, null, null), param);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static byte[] insertAfterSoi(byte[] jpeg, byte[] segment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.writeBytes(segment);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    private static ImageWriter jdkJpegWriter() {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        while (writers.hasNext()) {
            ImageWriter writer = writers.next();
            if (writer.getClass().getName().startsWith("com.sun.")) {
                return writer;
            }
        }
        throw new IllegalStateException("the JDK's JPEG writer is not registered");
    }

    private static byte[] write(ImageWriter writer, IIOImage image, ImageWriteParam param) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, image, param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
