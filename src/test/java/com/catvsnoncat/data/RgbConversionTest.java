package com.catvsnoncat.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A packed RGB picture (what the reduced JPEG decoder makes, read straight from its pixel array) comes out as the
 * same picture stored another way (read through getRGB), the right way up for every EXIF orientation.
 */
class RgbConversionTest {
    @Test
    void packedRgbGivesThePixelsOfTheSamePictureInAnotherLayoutForEveryOrientation() {
        Random random = new Random(15);
        int width = 5;
        int height = 3;
        BufferedImage packed = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        BufferedImage bytes = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = random.nextInt(1 << 24);
                packed.setRGB(x, y, rgb);
                bytes.setRGB(x, y, rgb);
            }
        }
        for (int orientation = 1; orientation <= 8; orientation++) {
            BufferedImage fromPacked = RgbConversion.toUprightRgb(packed, orientation);
            BufferedImage fromBytes = RgbConversion.toUprightRgb(bytes, orientation);
            assertEquals(fromBytes.getWidth(), fromPacked.getWidth(), "orientation " + orientation);
            assertArrayEquals(pixels(fromBytes), pixels(fromPacked), "orientation " + orientation);
        }
        assertEquals(packed.getRGB(4, 2) & 0xffffff, pixels(RgbConversion.toUprightRgb(packed, 1))[2 * width + 4],
                "not composited onto white as if transparent");
    }

    private static int[] pixels(BufferedImage image) {
        return ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    }
}
