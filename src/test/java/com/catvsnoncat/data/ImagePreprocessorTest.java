package com.catvsnoncat.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.catvsnoncat.ReferenceData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImagePreprocessorTest {
    /** The PNG exports are named after their index in the HDF5 file: images/train/cat/train-002.png is train_set_x[2]. */
    private static final Pattern INDEXED_NAME = Pattern.compile("(train|test)-(\\d+)\\.png");

    private final ImagePreprocessor preprocessor = new ImagePreprocessor();

    @ParameterizedTest
    @ValueSource(strings = {"train", "test"})
    void referencePngsGiveExactlyTheHdf5InputVectors(String split) throws IOException {
        Path dataset = ReferenceData.dir();
        Dataset reference = Hdf5Datasets.read(dataset.resolve(split + "_catvnoncat.h5"));
        List<Path> pngs;
        try (Stream<Path> files = Files.walk(dataset.resolve("images").resolve(split))) {
            pngs = files.filter(file -> file.toString().endsWith(".png")).sorted().toList();
        }
        assertThat(pngs).as("one PNG per HDF5 example").hasSize(reference.size());

        for (Path png : pngs) {
            Matcher name = INDEXED_NAME.matcher(png.getFileName().toString());
            assertThat(name.matches()).as("file name of " + png).isTrue();
            int index = Integer.parseInt(name.group(2));
            int label = png.getParent().getFileName().toString().equals("cat") ? 1 : 0;

            double[] vector = preprocessor.toInputVector(Files.readAllBytes(png));

            assertThat(reference.labels()[index]).as("label of " + png).isEqualTo(label);
            assertThat(vector).as(png.toString()).containsExactly(reference.examples().getRow(index));
        }
    }

    @Test
    void largePhotoOfSolidBlocksGivesTheBlocksColours() {
        // 640x640 of 10x10 blocks: subsampled while decoding, then area-averaged, each 64x64 pixel is one block.
        BufferedImage image = new BufferedImage(640, 640, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 640; y++) {
            for (int x = 0; x < 640; x++) {
                image.setRGB(x, y, (x / 10 * 4) << 16 | (y / 10 * 4) << 8 | 0x80);
            }
        }

        byte[] rgb = preprocessor.toRgb64(TestImages.encode(image, "png"));

        assertThat(rgb).hasSize(InputVectors.SIZE);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int i = (y * 64 + x) * 3;
                assertThat(new int[] {rgb[i] & 0xff, rgb[i + 1] & 0xff, rgb[i + 2] & 0xff})
                        .as("pixel (%d, %d)", x, y).containsExactly(x * 4, y * 4, 0x80);
            }
        }
    }

    @Test
    void inputVectorIsTheRgbBytesScaledToUnitRange() {
        byte[] jpeg = TestImages.jpeg(TestImages.solid(1000, 750, 0xc86432), false);

        double[] vector = preprocessor.toInputVector(jpeg);

        assertThat(vector).hasSize(InputVectors.SIZE);
        for (int i = 0; i < vector.length; i += 3) {
            assertThat(vector[i]).isCloseTo(200 / 255.0, within(4 / 255.0));
            assertThat(vector[i + 1]).isCloseTo(100 / 255.0, within(4 / 255.0));
            assertThat(vector[i + 2]).isCloseTo(50 / 255.0, within(4 / 255.0));
        }
        assertThat(vector).containsExactly(InputVectors.fromRgbBytes(preprocessor.toRgb64(jpeg)));
    }

    @Test
    void decodingFailuresReachTheCallerAsImageDecodingException() {
        assertThatThrownBy(() -> preprocessor.toInputVector(new byte[] {1, 2, 3}))
                .isInstanceOfSatisfying(ImageDecodingException.class,
                        e -> assertThat(e.kind()).isEqualTo(ImageDecodingException.Kind.UNSUPPORTED_FORMAT));
    }
}
