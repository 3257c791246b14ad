package com.catvsnoncat.cli;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/**
 * An RGB picture as a PNG file: 8 bits a channel, every row unfiltered, deflated by java.util.zip. Enough for a plot
 * of flat colours, without Java2D and ImageIO, whose first use costs a training run about half a second of CPU.
 */
final class PngEncoder {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private PngEncoder() {
    }

    /** Writes {@code rgb} (0xRRGGBB, row by row, {@code width} a row) as a PNG. */
    static void write(int width, int height, int[] rgb, OutputStream out) throws IOException {
        DataOutputStream png = new DataOutputStream(out);
        png.write(SIGNATURE);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream fields = new DataOutputStream(header);
        fields.writeInt(width);
        fields.writeInt(height);
        fields.write(new byte[] {8, 2, 0, 0, 0}); // 8 bits, truecolour, deflate, adaptive filters, no interlace
        chunk(png, "IHDR", header.toByteArray());
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflated = new DeflaterOutputStream(pixels)) {
            byte[] row = new byte[1 + 3 * width]; // filter type 0 (none), then the row's samples
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int colour = rgb[y * width + x];
                    row[1 + 3 * x] = (byte) (colour >>> 16);
                    row[2 + 3 * x] = (byte) (colour >>> 8);
                    row[3 + 3 * x] = (byte) colour;
                }
                deflated.write(row);
            }
        }
        chunk(png, "IDAT", pixels.toByteArray());
        chunk(png, "IEND", new byte[0]);
        png.flush();
    }

    private static void chunk(DataOutputStream png, String type, byte[] data) throws IOException {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        png.writeInt(data.length);
        png.write(name);
        png.write(data);
        png.writeInt((int) crc.getValue());
    }
}
