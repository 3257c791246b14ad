package com.catvsnoncat.nn;

import com.catvsnoncat.data.Dataset;
import com.catvsnoncat.data.InputVectors;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The features of every training picture (and, with mirroring, of every picture mirrored left to right), computed
 * once by a {@link FeatureExtractor} and reused by every training run and cross-validation fold. A mirror is added
 * only beside its own picture, so no mirror of a held-out picture is ever trained on.
 */
public final class FeatureSet {
    private final double[][] features;
    private final double[][] mirrors;
    private final int[] labels;

    private FeatureSet(double[][] features, double[][] mirrors, int[] labels) {
        this.features = features;
        this.mirrors = mirrors;
        this.labels = labels;
    }

    /** Runs the extractor on every picture (on all cores: each picture is independent). */
    public static FeatureSet of(FeatureExtractor extractor, Dataset pictures, boolean mirror) {
        Objects.requireNonNull(extractor, "extractor");
        double[][] rows = pictures.rows();
        double[][] features = new double[rows.length][];
        double[][] mirrors = mirror ? new double[rows.length][] : null;
        IntStream.range(0, rows.length).parallel().forEach(i -> {
            features[i] = extractor.features(rows[i]);
            if (mirror) {
                mirrors[i] = extractor.features(InputVectors.mirrored(rows[i]));
            }
        });
        return new FeatureSet(features, mirrors, pictures.labels().clone());
    }

    public int size() {
        return labels.length;
    }

    int[] labels() {
        return labels;
    }

    /** The pictures at {@code indices} followed by their mirrors, if mirroring. */
    Dataset training(int[] indices) {
        int copies = mirrors == null ? 1 : 2;
        double[][] rows = new double[copies * indices.length][];
        int[] selected = new int[rows.length];
        for (int i = 0; i < indices.length; i++) {
            rows[i] = features[indices[i]].clone();
            selected[i] = labels[indices[i]];
            if (mirrors != null) {
                rows[indices.length + i] = mirrors[indices[i]].clone();
                selected[indices.length + i] = labels[indices[i]];
            }
        }
        return Dataset.of(rows, selected);
    }

    /** The pictures at {@code indices}, without mirrors: what a held-out set is. */
    Dataset held(int[] indices) {
        double[][] rows = new double[indices.length][];
        int[] selected = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            rows[i] = features[indices[i]].clone();
            selected[i] = labels[indices[i]];
        }
        return Dataset.of(rows, selected);
    }

    /**
     * Trains the network on the features: always standardised (the features' scales differ by orders of
     * magnitude), mirrors from this set rather than from the trainer, the validation part split off first.
     */
    public TrainingResult train(TrainingOptions options, TrainingListener listener) {
        TrainingOptions onFeatures = networkOptions(options);
        int[] all = IntStream.range(0, size()).toArray();
        if (options.validationFraction() > 0) {
            int[][] split = Trainer.stratifiedSplit(labels, options.validationFraction(), new NumpyRandom(options.seed()));
            return Trainer.train(training(split[0]), held(split[1]), onFeatures, listener);
        }
        return Trainer.train(training(all), onFeatures, listener);
    }

    /** The options as the trainer sees the features: mirroring already done here, standardisation on. */
    static TrainingOptions networkOptions(TrainingOptions options) {
        return new TrainingOptions(options.layers(), options.learningRate(), options.iterations(), options.seed(),
                options.optimizer(), options.batchSize(), options.l2(), false, true, 0, options.patience(),
                options.evaluateEvery(), options.adam(), options.solver());
    }
}
