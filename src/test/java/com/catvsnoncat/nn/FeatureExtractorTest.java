package com.catvsnoncat.nn;

import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.data.InputVectors;
import com.catvsnoncat.model.BackboneFile;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A thread's pictures (the float copy and the upscale) are reused from one classification to the next, so the
 * features must not depend on what the thread computed before.
 */
class FeatureExtractorTest {
    private final BackboneFile.Loaded backbone = BackboneFile.bundled(BackboneFile.MOBILENETV2);

    @Test
    void featuresDoNotDependOnWhatTheThreadComputedBefore() throws Exception {
        double[] picture = randomInput(1);
        double[] other = randomInput(2);
        for (int size : FeatureExtractor.INPUT_SIZES) {
            FeatureExtractor extractor = extractor(size);
            double[] onAFreshThread = CompletableFuture.supplyAsync(() -> extractor.features(picture),
                    runnable -> new Thread(runnable).start()).get();
            // This thread's buffers have held other pictures, at every size, alone and in a batch of five.
            for (int otherSize : FeatureExtractor.INPUT_SIZES) {
                extractor(otherSize).features(other);
                extractor(otherSize).features(new double[][] {other, picture, other, other, other});
            }

            assertThat(extractor.features(picture)).as("at %dx%d", size, size).containsExactly(onAFreshThread);
            assertThat(extractor.features(new double[][] {other, picture})[1]).containsExactly(onAFreshThread);
        }
    }

    private FeatureExtractor extractor(int size) {
        return new FeatureExtractor(backbone.name(), backbone.network(), backbone.sha256(), size);
    }

    private static double[] randomInput(long seed) {
        Random random = new Random(seed);
        double[] input = new double[InputVectors.SIZE];
        for (int i = 0; i < input.length; i++) {
            input[i] = random.nextInt(256) / 255.0;
        }
        return input;
    }
}
