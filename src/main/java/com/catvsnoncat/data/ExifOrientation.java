package com.catvsnoncat.data;

import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.imaging.jpeg.JpegProcessingException;
import com.drew.lang.ByteArrayReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifDirectoryBase;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The EXIF orientation (1..8) of a JPEG, PNG, WebP or TIFF; 1 (as stored) when there is none.
 *
 * <p>Only the EXIF block is parsed: the PNG and WebP chunks are located here, within the array, because
 * metadata-extractor's full readers inflate every compressed text chunk and trust declared chunk lengths,
 * which an upload could turn into a memory bomb.
 */
final class ExifOrientation {
    static final int NORMAL = 1;

    private static final byte[] EXIF_PREFIX = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);

    private ExifOrientation() {
    }

    /** @param format the lower-case ImageIO format name the pixels are decoded with */
    static int read(byte[] bytes, String format) {
        try {
            Metadata metadata = switch (format) {
                case "jpeg" -> JpegMetadataReader.readMetadata(new ByteArrayInputStream(bytes), List.of(new ExifReader()));
                case "png" -> tiffMetadata(pngChunk(bytes, "eXIf"));
                case "webp" -> tiffMetadata(riffChunk(bytes, "EXIF"));
                case "tiff" -> tiffMetadata(bytes); // a TIFF file is itself the IFD structure EXIF uses
                default -> new Metadata();
            };
            ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            Integer orientation = ifd0 == null ? null : ifd0.getInteger(ExifDirectoryBase.TAG_ORIENTATION);
            return orientation != null && orientation >= 1 && orientation <= 8 ? orientation : NORMAL;
        } catch (IOException | JpegProcessingException | RuntimeException e) {
            // Damaged metadata does not make the pixels unreadable: show the picture as stored.
            return NORMAL;
        }
    }

    private static Metadata tiffMetadata(byte[] exif) {
        Metadata metadata = new Metadata();
        if (exif != null) {
            new ExifReader().extract(new ByteArrayReader(withoutExifPrefix(exif)), metadata);
        }
        return metadata;
    }

    /** The data of the first PNG chunk of this type, or null. */
    private static byte[] pngChunk(byte[] bytes, String type) {
        int position = 8;
        while (position + 12 <= bytes.length) {
            long length = Integer.toUnsignedLong(bigEndianInt(bytes, position));
            if (length > bytes.length - position - 12) {
                return null;
            }
            if (fourCc(bytes, position + 4).equals(type)) {
                return Arrays.copyOfRange(bytes, position + 8, position + 8 + (int) length);
            }
            position += 12 + (int) length;
        }
        return null;
    }

    /** The data of the first top-level chunk of a RIFF (WebP) file with this FourCC, or null. */
    private static byte[] riffChunk(byte[] bytes, String fourCc) {
        int position = 12;
        while (position + 8 <= bytes.length) {
            long size = Integer.toUnsignedLong(littleEndianInt(bytes, position + 4));
            if (size > bytes.length - position - 8) {
                return null;
            }
            if (fourCc(bytes, position).equals(fourCc)) {
                return Arrays.copyOfRange(bytes, position + 8, position + 8 + (int) size);
            }
            position += 8 + (int) size + (int) (size & 1);
        }
        return null;
    }

    /** Some WebP writers keep the JPEG APP1 "Exif\0\0" header in front of the TIFF data. */
    private static byte[] withoutExifPrefix(byte[] data) {
        boolean prefixed = data.length >= EXIF_PREFIX.length
                && Arrays.equals(data, 0, EXIF_PREFIX.length, EXIF_PREFIX, 0, EXIF_PREFIX.length);
        return prefixed ? Arrays.copyOfRange(data, EXIF_PREFIX.length, data.length) : data;
    }

    private static String fourCc(byte[] bytes, int offset) {
        return new String(bytes, offset, 4, StandardCharsets.ISO_8859_1);
    }

    private static int bigEndianInt(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }

    private static int littleEndianInt(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }
}
