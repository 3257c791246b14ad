package com.catvsnoncat.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.data.InputVectors;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaliencyImagesTest {
    @TempDir
    Path dir;

    @AfterEach
    void restoreImageIoDefaults() {
        ImageIO.setCacheDirectory(null);
        ImageIO.setUseCache(true);
    }

    @Test
    void encodesBothPicturesWithoutATemporaryFile() throws IOException {
        // ImageIO's own default spills to a file in its cache directory; here that directory is gone, as on a
        // read-only root filesystem.
        Path gone = Files.createDirectory(dir.resolve("cache"));
        ImageIO.setUseCache(true);
        ImageIO.setCacheDirectory(gone.toFile());
        Files.delete(gone);
        byte[] rgb = new byte[InputVectors.SIZE];
        double[] gradient = new double[InputVectors.SIZE];
        gradient[0] = 1;
        SaliencyImages images = new SaliencyImages(4);

        byte[] picturePng = images.picturePng(rgb);
        byte[] overlayPng = images.overlayPng(rgb, gradient);

        restoreImageIoDefaults();
        BufferedImage picture = ImageIO.read(new ByteArrayInputStream(picturePng));
        BufferedImage overlay = ImageIO.read(new ByteArrayInputStream(overlayPng));

        assertThat(picture.getWidth()).isEqualTo(InputVectors.SIDE);
        assertThat(overlay.getWidth()).isEqualTo(4 * InputVectors.SIDE);
        assertThat(overlay.getRGB(0, 0) & 0xffffff).as("the strongest pixel, fully red").isEqualTo(0xff0000);
    }
}
