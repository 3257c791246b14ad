package com.catvsnoncat.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.catvsnoncat.model.DefaultModel;
import com.catvsnoncat.model.Model;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class WarmupTest {
    @Test
    void theBundledPicturesAreAPhotoSizedJpegAndANetworkSizedPng() throws Exception {
        // 640 is at least 8 times the network's 64, so the JPEG takes the reduced decoding path photos take.
        assertThat(size("/warmup/picture-640.jpg")).isEqualTo("640x640");
        assertThat(size("/warmup/picture-64.png")).isEqualTo("64x64");
    }

    @Test
    void runsTheServingPathOnTheBundledPicturesWithTheEmbeddedModel() {
        Model model = DefaultModel.load();
        Classifier classifier = new Classifier(40_000_000, 16_384, 4);

        assertThatCode(() -> {
            Warmup.classifications(classifier, model, 2, () -> false);
            Warmup.otherPaths(classifier, model, 2);
        }).doesNotThrowAnyException();
    }

    private static String size(String resource) throws Exception {
        try (InputStream in = Warmup.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            BufferedImage image = ImageIO.read(in);
            return image.getWidth() + "x" + image.getHeight();
        }
    }
}
