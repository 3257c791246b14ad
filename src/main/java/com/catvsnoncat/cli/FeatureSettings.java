package com.catvsnoncat.cli;

import com.catvsnoncat.model.BackboneFile;
import com.catvsnoncat.nn.FeatureExtractor;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options that put a feature extractor in front of the network, shared by train and crossvalidate. */
final class FeatureSettings {
    @Option(names = "--features", paramLabel = "EXTRACTOR",
            description = "Train on the features of a pretrained extractor instead of the pixels: mobilenetv2"
                    + " (MobileNetV2 ImageNet layers up to block_10_project_BN, 96 features; use --layers 96,...,1).")
    String features;

    @Option(names = "--input-size", defaultValue = "64",
            description = "Side of the picture the extractor sees: 64, or the 64x64 picture upscaled to 96 or 128"
                    + " (default: ${DEFAULT-VALUE}).")
    int inputSize;

    /** The extractor, or empty for a network on the pixels. */
    Optional<FeatureExtractor> extractor() {
        if (features == null) {
            return Optional.empty();
        }
        if (!features.equals("mobilenetv2") && !features.equals(BackboneFile.MOBILENETV2)) {
            throw new IllegalArgumentException("--features must be mobilenetv2, got " + features);
        }
        BackboneFile.Loaded backbone = BackboneFile.bundled(BackboneFile.MOBILENETV2);
        return Optional.of(new FeatureExtractor(backbone.name(), backbone.network(), backbone.sha256(), inputSize));
    }
}
