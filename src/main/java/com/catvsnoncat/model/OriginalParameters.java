package com.catvsnoncat.model;

import com.catvsnoncat.nn.Network;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The original system's model file: an npz whose one entry, {@value #ENTRY}, is what {@code numpy.save} writes for
 * the worker's dict {@code {"W1": .., "b1": .., .., "WL": .., "bL": ..}} (a 0-d object array whose data is a
 * pickle). Read with {@link NumpyPickle}, never unpickled; the layers come from the arrays' shapes, and the
 * metadata says the model was imported and from which file (its SHA-256).
 */
final class OriginalParameters {
    static final String ENTRY = "parameters.npy";
    /** The pickle is held in memory whole: 64 MiB is 8 million float64 parameters (the original has 246 thousand). */
    static final int MAX_PICKLE_BYTES = 64 << 20;
    static final String NAME = "original";

    private OriginalParameters() {
    }

    /** The arrays of a {@value #ENTRY} entry; {@code in} must end where the entry ends. */
    static Map<String, NpyArray> read(InputStream in) throws IOException {
        Npy.Header header = Npy.readAnyHeader(in);
        if (!"|O".equals(header.descr()) || !(header.shape() instanceof long[] shape) || shape.length != 0) {
            throw new ModelFileException("expected numpy.save's wrapper around a dict (dtype '|O', shape ()), found "
                    + "dtype " + header.descr() + " (use allow_pickle=False arrays or our own model format)");
        }
        byte[] pickle = in.readNBytes(MAX_PICKLE_BYTES + 1);
        if (pickle.length > MAX_PICKLE_BYTES) {
            throw new ModelFileException("the pickle is larger than " + MAX_PICKLE_BYTES + " bytes");
        }
        return NumpyPickle.readArrays(pickle);
    }

    /**
     * @param arrays W1, b1, .., WL, bL as read
     * @param sha256 the hex SHA-256 of the file they came from
     * @throws IllegalArgumentException if the arrays are not exactly the layers of one network
     */
    static Model toModel(Map<String, NpyArray> arrays, String sha256) {
        Map<String, NpyArray> left = new TreeMap<>(arrays);
        List<RealMatrix> weights = new ArrayList<>();
        List<RealMatrix> biases = new ArrayList<>();
        for (int layer = 1; left.containsKey("W" + layer); layer++) {
            weights.add(matrix(left, "W" + layer));
            biases.add(matrix(left, "b" + layer));
        }
        if (!left.isEmpty()) {
            throw new IllegalArgumentException("unexpected arrays " + left.keySet() + " beside W1.." + "W"
                    + weights.size() + " and their biases");
        }
        Network network = new Network(weights, biases);
        ModelMetadata metadata = ModelMetadata.create(NAME, "sha256-" + sha256.substring(0, 12),
                network.layerSizes(), false)
                .with(ModelMetadata.IMPORTED, new JsonObject()
                        .put("from", "the original system's parameters.npz (numpy pickle, read without unpickling)")
                        .put("sha256", sha256));
        return new Model(network, null, metadata);
    }

    private static RealMatrix matrix(Map<String, NpyArray> arrays, String name) {
        NpyArray array = arrays.remove(name);
        if (array == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        if (array.dimensions() != 2 || array.shape()[0] == 0 || array.shape()[1] == 0) {
            throw new IllegalArgumentException(name + " must be a non-empty 2-D array, has shape "
                    + NpyArray.describe(array.shape()));
        }
        return array.toMatrix();
    }
}
