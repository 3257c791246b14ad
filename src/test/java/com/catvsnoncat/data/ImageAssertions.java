package com.catvsnoncat.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import com.catvsnoncat.data.ImageDecodingException.Kind;
import java.awt.image.BufferedImage;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Checks on decoded pictures and on the decoder's refusals, shared by the decoding tests. */
final class ImageAssertions {
    private ImageAssertions() {
    }

    static void assertRefused(ThrowingCallable decode, Kind kind, String message) {
        assertThatThrownBy(decode)
                .isInstanceOfSatisfying(ImageDecodingException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .hasMessageContaining(message);
    }

    /** Centre pixels of the four quadrants (see TestImages.quadrants). */
    static void assertQuadrants(BufferedImage image, int topLeft, int topRight, int bottomLeft, int bottomRight,
                                int tolerance) {
        int q = image.getWidth() / 4;
        assertColour(image.getRGB(q, q), topLeft, tolerance);
        assertColour(image.getRGB(3 * q, q), topRight, tolerance);
        assertColour(image.getRGB(q, 3 * q), bottomLeft, tolerance);
        assertColour(image.getRGB(3 * q, 3 * q), bottomRight, tolerance);
    }

    static void assertColour(int actual, int expected, int tolerance) {
        String description = String.format("colour #%06x close to #%06x (tolerance %d)", actual & 0xffffff, expected,
                tolerance);
        for (int shift = 0; shift <= 16; shift += 8) {
            assertThat(actual >> shift & 0xff).as(description).isCloseTo(expected >> shift & 0xff,
                    offset(tolerance));
        }
    }
}
