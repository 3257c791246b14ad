package com.catvsnoncat.model;

import static com.catvsnoncat.model.TestModels.metadataOf;
import static com.catvsnoncat.model.TestModels.model;
import static com.catvsnoncat.model.TestModels.npy;
import static com.catvsnoncat.model.TestModels.putMetadata;
import static com.catvsnoncat.model.TestModels.randomNetwork;
import static com.catvsnoncat.model.TestModels.randomStandardizer;
import static com.catvsnoncat.model.TestModels.rejection;
import static com.catvsnoncat.model.TestModels.replaceParameters;
import static com.catvsnoncat.model.TestModels.unzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.catvsnoncat.nn.Network;
import com.catvsnoncat.nn.Standardizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelFileRejectionTest {
    private static final Network NETWORK = randomNetwork(1, 5, 4, 3, 1);
    private static final Standardizer STANDARDIZER = randomStandardizer(2, 5);
    private static final byte[] GOOD = ModelFile.toBytes(model(NETWORK, STANDARDIZER));

    private static Map<String, byte[]> goodEntries() {
        return unzip(GOOD);
    }

    @Test
    void randomBytesAreNotAModel() {
        byte[] noise = new byte[4096];
        new Random(3).nextBytes(noise);

        assertThat(rejection(noise)).contains("not a zip archive");
        assertThat(rejection(new byte[0])).contains("not a zip archive");
    }

    @ParameterizedTest(name = "cut after {0} bytes")
    @ValueSource(ints = {10, 40, 300, 1000, 1500, -700, -200, -60, -10, -1})
    void truncatedFileIsReportedAsTruncated(int cut) {
        int length = cut > 0 ? cut : GOOD.length + cut;

        assertThat(rejection(Arrays.copyOf(GOOD, length))).contains("truncated");
    }

    @Test
    void flippedByteInAnArrayIsCaughtByTheZipChecksum() {
        byte[] w2 = goodEntries().get("W2.npy");
        int at = indexOf(GOOD, w2) + w2.length - 5;
        byte[] damaged = GOOD.clone();
        damaged[at] ^= 0x10;

        assertThat(rejection(damaged)).contains("W2.npy").contains("CRC");
    }

    @Test
    void changedArrayWithStaleMetadataIsAContentHashMismatch() {
        Map<String, byte[]> entries = goodEntries();
        RealMatrix w2 = NETWORK.weight(2).copy();
        w2.setEntry(0, 0, w2.getEntry(0, 0) + 1e-9);
        entries.put("W2.npy", Npy.write(NpyArray.of(w2)));

        assertThat(rejection(ModelFile.zip(entries))).contains("content hash mismatch")
                .contains(metadataOf(entries).getString("contentHash"));
    }

    @Test
    void missingMetadataIsReported() {
        Map<String, byte[]> entries = goodEntries();
        entries.remove("metadata.json");

        assertThat(rejection(ModelFile.zip(entries))).contains("missing metadata.json");
    }

    @Test
    void metadataThatIsNotJsonIsReported() {
        Map<String, byte[]> entries = goodEntries();
        entries.put("metadata.json", "{\"format\": ".getBytes(StandardCharsets.UTF_8));

        assertThat(rejection(ModelFile.zip(entries))).contains("metadata.json is not a JSON object");
    }

    @Test
    void newerFormatVersionIsRejectedAsNewer() {
        Map<String, byte[]> entries = goodEntries();
        putMetadata(entries, metadataOf(entries).put("formatVersion", 99));
        // A newer format may bring entries and dtypes this reader does not know; the version is still what is reported.
        entries.put("W1.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 5), }", new byte[80]));
        entries.put("vocabulary.json", new byte[10]);

        assertThat(rejection(ModelFile.zip(entries))).contains("format version 99 is newer").contains("(1)");
    }

    @Test
    void unknownFormatIsRejected() {
        Map<String, byte[]> entries = goodEntries();
        putMetadata(entries, metadataOf(entries).put("format", "someone-elses-model"));

        assertThat(rejection(ModelFile.zip(entries))).contains("not a catvsnoncat model").contains("'someone-elses-model'");
    }

    @Test
    void missingWeightArrayIsNamed() {
        Map<String, byte[]> entries = goodEntries();
        entries.remove("W2.npy");

        assertThat(rejection(ModelFile.zip(entries))).contains("missing W2.npy");
    }

    @Test
    void weightsThatDoNotChainAreRejected() {
        Map<String, byte[]> entries = goodEntries();
        entries.put("W2.npy", Npy.write(NpyArray.of(TestModels.randomMatrix(new Random(4), 3, 6))));

        assertThat(rejection(ModelFile.zip(entries))).contains("do not form a network").contains("W2 has 6 columns");
    }

    @Test
    void metadataLayersThatDoNotMatchTheArraysAreRejected() {
        Map<String, byte[]> entries = goodEntries();
        putMetadata(entries, metadataOf(entries).put("layers", List.of(5, 6, 3, 1)));

        assertThat(rejection(ModelFile.zip(entries))).contains("metadata layers [5, 6, 3, 1] do not match the network's [5, 4, 3, 1]");
    }

    @Test
    void extraLayerArraysAreRejected() {
        Map<String, byte[]> entries = goodEntries();
        entries.put("W4.npy", Npy.write(NpyArray.of(TestModels.randomMatrix(new Random(5), 1, 1))));

        assertThat(rejection(ModelFile.zip(entries))).contains("unexpected arrays [W4]");
    }

    @Test
    void lyingShapeIsRejectedWithoutAllocatingIt() {
        Map<String, byte[]> entries = goodEntries();
        entries.put("W1.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }", new byte[80]));

        assertThat(rejection(ModelFile.zip(entries)))
                .contains("W1.npy: shape (100000, 100000) needs 80000000000 bytes of data, more than the");
    }

    @Test
    void shapeWithinTheLimitButMoreThanTheDataIsRejected() {
        Map<String, byte[]> entries = goodEntries();
        entries.put("W1.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4, 5000000), }", new byte[160]));

        assertThat(rejection(ModelFile.zip(entries)))
                .contains("W1.npy: shape (4, 5000000) needs 160000000 bytes of data, found only 160");
    }

    @Test
    void fortranOrderArrayIsRejected() {
        Map<String, byte[]> entries = goodEntries();
        entries.put("W1.npy", npy("{'descr': '<f8', 'fortran_order': True, 'shape': (4, 5), }", new byte[160]));

        assertThat(rejection(ModelFile.zip(entries))).contains("W1.npy: Fortran-order arrays are not supported");
    }

    @Test
    void int64ArrayIsRejected() {
        Map<String, byte[]> entries = goodEntries();
        entries.put("b1.npy", npy("{'descr': '<i8', 'fortran_order': False, 'shape': (4, 1), }", new byte[32]));

        assertThat(rejection(ModelFile.zip(entries))).contains("b1.npy: unsupported dtype '<i8'");
    }

    @Test
    void objectArrayIsRejectedWithoutUnpickling() {
        Map<String, byte[]> entries = goodEntries();
        entries.put("b1.npy", npy("{'descr': '|O', 'fortran_order': False, 'shape': (4, 1), }",
                "\u0080\u0004cos\nsystem\n".getBytes(StandardCharsets.ISO_8859_1)));

        assertThat(rejection(ModelFile.zip(entries))).contains("b1.npy: unsupported dtype '|O'");
    }

    @Test
    void nanWeightIsRejectedWithItsPosition() {
        Map<String, byte[]> entries = goodEntries();
        RealMatrix w2 = NETWORK.weight(2).copy();
        w2.setEntry(1, 2, Double.NaN);
        replaceParameters(entries, new Network(List.of(NETWORK.weight(1), w2, NETWORK.weight(3)), NETWORK.biases()), STANDARDIZER);

        assertThat(rejection(ModelFile.zip(entries))).contains("W2 has NaN at [1, 2]");
    }

    @Test
    void infiniteBiasIsRejected() {
        Map<String, byte[]> entries = goodEntries();
        RealMatrix b3 = NETWORK.bias(3).copy();
        b3.setEntry(0, 0, Double.NEGATIVE_INFINITY);
        replaceParameters(entries, new Network(NETWORK.weights(), List.of(NETWORK.bias(1), NETWORK.bias(2), b3)), STANDARDIZER);

        assertThat(rejection(ModelFile.zip(entries))).contains("b3 has -Infinity at [0, 0]");
    }

    @Test
    void standardizerOfTheWrongLengthIsRejected() {
        Map<String, byte[]> entries = goodEntries();
        replaceParameters(entries, NETWORK, randomStandardizer(6, 4));

        assertThat(rejection(ModelFile.zip(entries))).contains("standardizer has 4 features but the network takes 5 inputs");
    }

    @Test
    void halfAStandardizerIsRejected() {
        Map<String, byte[]> entries = goodEntries();
        entries.remove("input_std.npy");

        assertThat(rejection(ModelFile.zip(entries))).contains("input_mean.npy without input_std.npy");
    }

    @Test
    void unexpectedEntryIsRejected() {
        Map<String, byte[]> entries = goodEntries();
        entries.put("notes.txt", "hello".getBytes(StandardCharsets.UTF_8));

        assertThat(rejection(ModelFile.zip(entries))).contains("unexpected zip entry notes.txt");
    }

    @Test
    void zipBombIsStoppedAtTheSizeLimit() throws IOException {
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bomb)) {
            zip.putNextEntry(new ZipEntry("metadata.json"));
            zip.write(goodEntries().get("metadata.json"));
            zip.putNextEntry(new ZipEntry("padding.bin"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 600; i++) {
                zip.write(zeros);
            }
        }
        assertThat(bomb.size()).isLessThan(2 << 20);

        assertThat(rejection(bomb.toByteArray())).contains("larger than " + ModelFile.MAX_TOTAL_BYTES + " bytes");
    }

    @Test
    void tooManyEntriesAreRejected() {
        Map<String, byte[]> entries = goodEntries();
        for (int i = 0; i < ModelFile.MAX_ENTRIES; i++) {
            entries.put("extra" + i, new byte[0]);
        }

        assertThat(rejection(ModelFile.zip(entries))).contains("more than 1024 zip entries");
    }

    @Test
    void nonFiniteModelsCannotBeWritten() {
        RealMatrix w1 = NETWORK.weight(1).copy();
        w1.setEntry(0, 0, Double.POSITIVE_INFINITY);
        Network broken = new Network(List.of(w1, NETWORK.weight(2), NETWORK.weight(3)), NETWORK.biases());

        assertThatThrownBy(() -> model(broken, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("W1 has Infinity at [0, 0]");
    }

    @Test
    void randomlyDamagedFilesEitherReadIdenticallyOrFailWithAModelFileException() {
        Model original = ModelFile.read(new ByteArrayInputStream(GOOD));
        Random random = new Random(42);
        for (int i = 0; i < 3000; i++) {
            byte[] damaged = GOOD.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                damaged[random.nextInt(damaged.length)] ^= (byte) (1 + random.nextInt(255));
            }
            try {
                // Damage outside the entries' data (zip bookkeeping the CRCs and the hash do not cover) is harmless.
                TestModels.assertSameParameters(ModelFile.read(new ByteArrayInputStream(damaged)), original);
            } catch (ModelFileException expected) {
                assertThat(expected.getMessage()).startsWith("model stream: ").doesNotContain("\n");
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("entry bytes not found in the file");
    }
}
