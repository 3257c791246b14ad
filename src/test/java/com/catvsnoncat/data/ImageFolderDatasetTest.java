package com.catvsnoncat.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.catvsnoncat.ReferenceData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {
    @TempDir
    Path dir;

    @Test
    void loadsCatsThenNonCatsSortedByNameWithTheirLabels() throws IOException {
        write("cat/b.png", TestImages.encode(TestImages.solid(64, 64, 0x0a0a0a), "png"));
        write("cat/a.bmp", TestImages.encode(TestImages.solid(64, 64, 0x141414), "bmp"));
        write("non-cat/c.gif", TestImages.encode(TestImages.solid(64, 64, 0x1e1e1e), "gif"));
        write("cat/.DS_Store", "not a picture".getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(dir.resolve("cat/nested"));

        Dataset dataset = ImageFolderDataset.load(dir);

        assertThat(dataset.labels()).containsExactly(1, 1, 0);
        assertThat(dataset.inputSize()).isEqualTo(InputVectors.SIZE);
        assertThat(firstValues(dataset)).containsExactly(20 / 255.0, 10 / 255.0, 30 / 255.0);
        assertThat(ImageFolderDataset.examples(dir)).extracting(e -> e.file().getFileName().toString())
                .containsExactly("a.bmp", "b.png", "c.gif");
    }

    @Test
    void formatComesFromTheBytesNotTheFileName() throws IOException {
        write("cat/really-a-jpeg.png", TestImages.jpeg(TestImages.solid(64, 64, 0x808080), false));
        write("noncat/really-a-png.jpg", TestImages.encode(TestImages.solid(64, 64, 0x404040), "png"));

        Dataset dataset = ImageFolderDataset.load(dir);

        assertThat(dataset.labels()).containsExactly(1, 0);
        assertThat(dataset.examples().getEntry(0, 0)).isCloseTo(128 / 255.0, org.assertj.core.data.Offset.offset(3 / 255.0));
        assertThat(dataset.examples().getEntry(1, 0)).isEqualTo(64 / 255.0);
    }

    @Test
    void undecodableFileIsNamedInTheMessage() throws IOException {
        write("cat/a.png", TestImages.encode(TestImages.solid(8, 8, 0), "png"));
        write("cat/notes.txt", "a cat".getBytes(StandardCharsets.UTF_8));
        write("non-cat/zz-broken.jpg", new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff});

        assertThatThrownBy(() -> ImageFolderDataset.load(dir))
                .isInstanceOf(DatasetException.class)
                .hasMessage("cannot use " + dir.resolve("cat/notes.txt")
                        + ": not a supported image format (expected JPEG, PNG, GIF, BMP, WebP or TIFF)");
    }

    @Test
    void missingFolderIsReported() {
        Path missing = dir.resolve("nowhere");

        assertThatThrownBy(() -> ImageFolderDataset.load(missing))
                .isInstanceOf(DatasetException.class)
                .hasMessage("image folder " + missing + " does not exist or is not a folder");
    }

    @Test
    void missingSubFoldersAreReportedWithTheExpectedLayout() throws IOException {
        Files.createDirectories(dir.resolve("cats"));
        assertThatThrownBy(() -> ImageFolderDataset.load(dir))
                .isInstanceOf(DatasetException.class)
                .hasMessage(dir + " has no cat/ sub-folder (expected DIR/cat/* and DIR/non-cat/*)");

        Files.createDirectories(dir.resolve("cat"));
        assertThatThrownBy(() -> ImageFolderDataset.load(dir))
                .isInstanceOf(DatasetException.class)
                .hasMessage(dir + " has no non-cat/ sub-folder (expected DIR/cat/* and DIR/non-cat/*)");
    }

    @Test
    void emptyFoldersAreReported() throws IOException {
        Files.createDirectories(dir.resolve("cat"));
        Files.createDirectories(dir.resolve("non_cat"));

        assertThatThrownBy(() -> ImageFolderDataset.load(dir))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith("no pictures in ");
    }

    @Test
    void referenceImageFolderLoadsTheHdf5Examples() {
        Path images = ReferenceData.dir().resolve("images/test");
        Dataset reference = Hdf5Datasets.read(ReferenceData.dir().resolve("test_catvnoncat.h5"));

        Dataset loaded = ImageFolderDataset.load(images);
        List<ImageFolderDataset.Example> examples = ImageFolderDataset.examples(images);

        assertThat(loaded.size()).isEqualTo(reference.size());
        for (int row = 0; row < examples.size(); row++) {
            String name = examples.get(row).file().getFileName().toString(); // test-NNN.png
            int index = Integer.parseInt(name.substring(5, 8));
            assertThat(loaded.labels()[row]).as(name).isEqualTo(reference.labels()[index]);
            assertThat(loaded.examples().getRow(row)).as(name).containsExactly(reference.examples().getRow(index));
        }
    }

    private void write(String relative, byte[] bytes) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    private static double[] firstValues(Dataset dataset) {
        double[] values = new double[dataset.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = dataset.examples().getEntry(i, 0);
        }
        return values;
    }
}
