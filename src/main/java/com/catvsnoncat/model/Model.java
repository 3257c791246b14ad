package com.catvsnoncat.model;

import com.catvsnoncat.data.InputVectors;
import com.catvsnoncat.nn.FeatureExtractor;
import com.catvsnoncat.nn.Network;
import com.catvsnoncat.nn.Standardizer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * A trained classifier as it is stored and served: the feature extractor in front of the network (null for a
 * network on the pixels themselves), the network, the input standardisation it was trained with (null if none) and
 * its metadata. A model is consistent by construction: the metadata's layers are the network's, the standardizer
 * fits the input size and agrees with {@code preprocessing.standardized}, the metadata names the extractor the
 * model has, and every parameter is finite.
 */
public record Model(FeatureExtractor features, Network network, Standardizer standardizer, ModelMetadata metadata) {

    public Model {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(metadata, "metadata");
        Optional<ModelMetadata.Features> named = metadata.features();
        if (named.isPresent() != (features != null)) {
            throw new IllegalArgumentException(features == null
                    ? "metadata names a feature extractor but the model has none"
                    : "the model has a feature extractor but metadata does not name it");
        }
        if (features != null) {
            ModelMetadata.Features expected = named.get();
            if (!expected.extractor().equals(features.name()) || !expected.sha256().equals(features.sha256())
                    || expected.inputSize() != features.inputSize()) {
                throw new IllegalArgumentException("metadata names the feature extractor " + expected
                        + " but the model has " + features.name() + " (sha256 " + features.sha256()
                        + ", input size " + features.inputSize() + ")");
            }
            if (features.featureCount() != network.inputSize()) {
                throw new IllegalArgumentException("the feature extractor gives " + features.featureCount()
                        + " features but the network takes " + network.inputSize() + " inputs");
            }
        }
        if (!Arrays.equals(metadata.layers(), network.layerSizes())) {
            throw new IllegalArgumentException("metadata layers " + Arrays.toString(metadata.layers())
                    + " do not match the network's " + Arrays.toString(network.layerSizes()));
        }
        if (metadata.standardized() != (standardizer != null)) {
            throw new IllegalArgumentException(metadata.standardized()
                    ? "metadata says the inputs are standardized but there is no standardizer"
                    : "there is a standardizer but metadata says the inputs are not standardized");
        }
        if (standardizer != null) {
            if (standardizer.size() != network.inputSize()) {
                throw new IllegalArgumentException("the standardizer has " + standardizer.size()
                        + " features but the network takes " + network.inputSize() + " inputs");
            }
            requireFinite("input_mean", standardizer.mean());
        }
        for (int layer = 1; layer <= network.depth(); layer++) {
            requireFinite("W" + layer, network.weight(layer));
            requireFinite("b" + layer, network.bias(layer));
        }
    }

    /** A network on the pixels themselves. */
    public Model(Network network, Standardizer standardizer, ModelMetadata metadata) {
        this(null, network, standardizer, metadata);
    }

    /** A new model with fresh metadata ({@link ModelMetadata#create}) for this network. */
    public static Model of(String name, String version, Network network, Standardizer standardizer) {
        return new Model(network, standardizer,
                ModelMetadata.create(name, version, network.layerSizes(), standardizer != null));
    }

    /**
     * Probabilities of cat for raw input vectors (as {@link com.catvsnoncat.data.InputVectors} makes them): the
     * feature extractor, if any, then the model's standardisation, if any (on copies), then the network.
     */
    public double[] predict(double[][] inputs) {
        double[][] networkInputs = features == null ? inputs : features.features(inputs);
        if (standardizer == null) {
            return network.predict(networkInputs);
        }
        double[][] standardized = new double[networkInputs.length][];
        for (int i = 0; i < networkInputs.length; i++) {
            standardized[i] = features == null ? networkInputs[i].clone() : networkInputs[i];
            standardizer.applyInPlace(standardized[i]);
        }
        return network.predict(standardized);
    }

    /** Values in one input vector: the picture's for a feature model, the network's inputs otherwise. */
    public int inputSize() {
        return features != null ? InputVectors.SIZE : network.inputSize();
    }

    public double predict(double[] input) {
        return predict(new double[][] {input})[0];
    }

    public Model withMetadata(ModelMetadata newMetadata) {
        return new Model(features, network, standardizer, newMetadata);
    }

    private static void requireFinite(String name, RealMatrix matrix) {
        double[][] rows = NpyArray.rowsOf(matrix);
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rows[i].length; j++) {
                if (!Double.isFinite(rows[i][j])) {
                    throw new IllegalArgumentException(name + " has " + rows[i][j] + " at [" + i + ", " + j + "]");
                }
            }
        }
    }

    private static void requireFinite(String name, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + " has " + values[i] + " at [" + i + "]");
            }
        }
    }
}
