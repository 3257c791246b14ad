package com.catvsnoncat.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.catvsnoncat.testing.RandomModels;
import com.catvsnoncat.nn.Network;
import com.catvsnoncat.nn.Standardizer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;

/** Builders for test models and for taking model files apart and putting them back together. */
final class TestModels {

    private TestModels() {
    }

    static Network randomNetwork(long seed, int... layers) {
        Random random = new Random(seed);
        List<RealMatrix> weights = new ArrayList<>();
        List<RealMatrix> biases = new ArrayList<>();
        for (int l = 1; l < layers.length; l++) {
            weights.add(randomMatrix(random, layers[l], layers[l - 1]));
            biases.add(randomMatrix(random, layers[l], 1));
        }
        // Values whose bits a lossy format would change.
        double[] row = ((Array2DRowRealMatrix) weights.get(0)).getDataRef()[0];
        double[] special = {-0.0, Double.MIN_VALUE, Double.MAX_VALUE, 1.0 / 3, -Double.MIN_NORMAL};
        System.arraycopy(special, 0, row, 0, Math.min(special.length, row.length));
        return new Network(weights, biases);
    }

    static Array2DRowRealMatrix randomMatrix(Random random, int rows, int columns) {
        return RandomModels.gaussian(random, rows, columns, 0.01);
    }

    static Standardizer randomStandardizer(long seed, int size) {
        Random random = new Random(seed);
        double[] mean = new double[size];
        double[] scale = new double[size];
        for (int i = 0; i < size; i++) {
            mean[i] = random.nextDouble();
            scale[i] = 0.05 + random.nextDouble();
        }
        return new Standardizer(mean, scale);
    }

    static Model model(Network network, Standardizer standardizer) {
        return Model.of("cat-test", "1.2.3", network, standardizer);
    }

    /** The entries of a zip, in order. */
    static Map<String, byte[]> unzip(byte[] file) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(file))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    static JsonObject metadataOf(Map<String, byte[]> entries) {
        return new JsonObject(new String(entries.get("metadata.json"), StandardCharsets.UTF_8));
    }

    static void putMetadata(Map<String, byte[]> entries, JsonObject metadata) {
        entries.put("metadata.json", metadata.encode().getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces W/b arrays and sets the content hash the new parameters have, so only the intended defect remains. */
    static void replaceParameters(Map<String, byte[]> entries, Network network, Standardizer standardizer) {
        for (int l = 1; l <= network.depth(); l++) {
            entries.put("W" + l + ".npy", Npy.write(NpyArray.of(network.weight(l))));
            entries.put("b" + l + ".npy", Npy.write(NpyArray.of(network.bias(l))));
        }
        if (standardizer != null) {
            entries.put("input_mean.npy", Npy.write(NpyArray.of(standardizer.mean())));
            entries.put("input_std.npy", Npy.write(NpyArray.of(standardizer.scale())));
        }
        putMetadata(entries, metadataOf(entries).put("contentHash", ContentHash.of(network, standardizer)));
    }

    /** A version 1.0 .npy with the given header dict (padded as numpy does) followed by {@code data}. */
    static byte[] npy(String dict, byte[] data) {
        int padding = 64 - (10 + dict.length() + 1) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        return ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0})
                .putShort((short) header.length())
                .put(header.getBytes(StandardCharsets.ISO_8859_1))
                .put(data)
                .array();
    }

    static byte[] littleEndianDoubles(double... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asDoubleBuffer().put(values);
        return buffer.array();
    }

    /** The message of the ModelFileException that reading {@code file} must throw. */
    static String rejection(byte[] file) {
        ModelFileException e = catchThrowableOfType(ModelFileException.class,
                () -> ModelFile.read(new ByteArrayInputStream(file)));
        assertThat(e).as("reading must fail with a ModelFileException").isNotNull();
        assertThat(e.getMessage()).doesNotContain("\n").startsWith("model stream: ");
        return e.getMessage();
    }

    static void assertSameParameters(Model actual, Model expected) {
        Network a = actual.network();
        Network e = expected.network();
        assertThat(a.layerSizes()).isEqualTo(e.layerSizes());
        for (int l = 1; l <= e.depth(); l++) {
            // deep equality of double[] compares bits (Double.equals), so -0.0 differs from 0.0
            assertThat(a.weight(l).getData()).as("W" + l).isDeepEqualTo(e.weight(l).getData());
            assertThat(a.bias(l).getData()).as("b" + l).isDeepEqualTo(e.bias(l).getData());
            assertThat(a.weight(l)).isInstanceOf(Array2DRowRealMatrix.class);
        }
        if (expected.standardizer() == null) {
            assertThat(actual.standardizer()).isNull();
        } else {
            assertThat(actual.standardizer().mean()).isEqualTo(expected.standardizer().mean());
            assertThat(actual.standardizer().scale()).isEqualTo(expected.standardizer().scale());
        }
    }
}
