package com.catvsnoncat.data;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Recognises HEIC and AVIF (ISO base media files whose first box is {@code ftyp} with a HEIF brand), so that the
 * most common picture a phone sends gets a message naming it instead of "not a supported image format".
 */
final class HeifBrand {
    private static final Map<String, String> BRANDS = Map.of(
            "heic", "HEIC", "heix", "HEIC", "heim", "HEIC", "heis", "HEIC", "hevc", "HEIC", "hevx", "HEIC",
            "mif1", "HEIF", "msf1", "HEIF", "avif", "AVIF", "avis", "AVIF");

    private HeifBrand() {
    }

    /** "HEIC", "AVIF" or "HEIF" when the bytes start like such a file; the major brand decides. */
    static Optional<String> of(byte[] bytes) {
        if (bytes.length < 12 || !"ftyp".equals(text(bytes, 4))) {
            return Optional.empty();
        }
        String major = BRANDS.get(text(bytes, 8));
        if (!"HEIF".equals(major)) {
            return Optional.ofNullable(major);
        }
        // mif1 is the generic brand: the compatible brands after it say whether the pictures are HEVC or AV1.
        int boxSize = (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | bytes[3] & 0xff;
        for (int at = 16; at + 4 <= Math.min(bytes.length, boxSize); at += 4) {
            String compatible = BRANDS.get(text(bytes, at));
            if (compatible != null && !compatible.equals("HEIF")) {
                return Optional.of(compatible);
            }
        }
        return Optional.of(major);
    }

    private static String text(byte[] bytes, int offset) {
        return new String(bytes, offset, 4, StandardCharsets.ISO_8859_1);
    }
}
