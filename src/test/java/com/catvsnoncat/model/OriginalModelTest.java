package com.catvsnoncat.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.catvsnoncat.Python;
import com.catvsnoncat.ReferenceData;
import com.catvsnoncat.data.Dataset;
import com.catvsnoncat.data.Hdf5Datasets;
import com.catvsnoncat.nn.MatrixKernels;
import com.catvsnoncat.nn.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The original system's real model file (../shared/peers/seed/parameters.npz), read without unpickling. */
class OriginalModelTest {
    /** The README beside the file: numpy's probabilities of cat for the first five test pictures. */
    private static final double[] README_FIRST_FIVE = {0.998114, 0.996702, 0.983821, 0.905584, 0.999494};

    @Test
    void readsTheOriginalModelWithItsLayersAndMarksItImported() throws IOException, NoSuchAlgorithmException {
        Path file = ReferenceData.originalModel();

        Model model = ModelFile.read(file);

        assertThat(model.network().layerSizes()).containsExactly(12288, 20, 7, 5, 1);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        assertThat(model.metadata().imported().orElseThrow().getString("sha256")).isEqualTo(sha256);
        assertThat(model.metadata().name()).isEqualTo("original");
        assertThat(model.standardizer()).isNull();
    }

    @Test
    void classifiesTheTestSetAsNumpyDoes() {
        Model model = ModelFile.read(ReferenceData.originalModel());
        Dataset test = Hdf5Datasets.read(ReferenceData.dir().resolve("test_catvnoncat.h5"));
        Dataset train = Hdf5Datasets.read(ReferenceData.dir().resolve("train_catvnoncat.h5"));

        double[] probabilities = model.predict(MatrixKernels.data(test.examples()));

        assertThat(Metrics.of(probabilities, test.labels()).accuracy()).isEqualTo(0.76, within(1e-12));
        assertThat(Metrics.of(model.predict(MatrixKernels.data(train.examples())), train.labels()).accuracy())
                .isEqualTo(208.0 / 209, within(1e-12));
        for (int i = 0; i < README_FIRST_FIVE.length; i++) {
            assertThat(probabilities[i]).as("test picture %d", i).isCloseTo(README_FIRST_FIVE[i], within(5e-7));
        }
    }

    @Test
    void givesTheFirstTestPicturesNumpysProbabilitiesToTheLastDigits(@TempDir Path dir) throws IOException {
        Model model = ModelFile.read(ReferenceData.originalModel());
        Dataset test = Hdf5Datasets.read(ReferenceData.dir().resolve("test_catvnoncat.h5"));
        double[][] firstFive = Arrays.copyOf(MatrixKernels.data(test.examples()), 5);
        Path inputs = dir.resolve("inputs.npy");
        Files.write(inputs, Npy.write(NpyArray.of(new Array2DRowRealMatrix(firstFive, false))));

        // numpy on the original's file as the original worker loads it (pickle in Python, on this trusted file).
        String numpy = Python.runNumpy(NUMPY_FORWARD, ReferenceData.originalModel().toString(), inputs.toString());

        double[] expected = Arrays.stream(numpy.trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
        double[] actual = model.predict(firstFive);
        assertThat(expected).hasSize(5);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("test picture %d", i).isCloseTo(expected[i], within(1e-9));
        }
    }

    private static final String NUMPY_FORWARD = """
            import sys, numpy as np
            p = np.load(sys.argv[1], allow_pickle=True)['parameters'].item()
            a = np.load(sys.argv[2]).T
            layers = len(p) // 2
            for l in range(1, layers + 1):
                z = p['W%d' % l] @ a + p['b%d' % l]
                a = np.maximum(0, z) if l < layers else 1 / (1 + np.exp(-z))
            print(' '.join(repr(float(v)) for v in a[0]))
            """;
}
