package com.catvsnoncat.classifier;

import com.catvsnoncat.model.Model;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs the serving path on bundled pictures before readiness turns true, so the first real requests do not pay for
 * loading and interpreting the decoders, the resize and the network. The pictures are a synthetic gradient (no
 * data set picture ships): a 640x640 JPEG, which takes the reduced-size JPEG path that photos take, and a 64x64
 * PNG. They are bundled rather than encoded here: encoding them at start cost ~80 ms of a cold JVM.
 */
final class Warmup {
    private static final String JPEG = "/warmup/picture-640.jpg";
    private static final String PNG = "/warmup/picture-64.png";

    private Warmup() {
    }

    /**
     * The paths most requests take: {@code runs} classifications of the JPEG, and of the PNG for a model on pixels.
     * A feature model classifies the PNG once only: each of its classifications costs a pass of the extractor, which
     * the JPEG's runs warm up already, whatever the picture; the PNG's own path is its decoder and resize.
     * Blocking.
     *
     * @param stopRequested checked between runs, so an undeployment does not wait for the whole warm-up
     */
    static void classifications(Classifier classifier, Model model, int runs, BooleanSupplier stopRequested) {
        if (runs == 0) {
            return;
        }
        byte[] jpeg = picture(JPEG);
        byte[] png = picture(PNG);
        int pngRuns = model.features() == null ? runs : 1;
        for (int i = 0; i < runs; i++) {
            if (stopRequested.getAsBoolean()) {
                return;
            }
            classifier.classify(model, jpeg);
            if (i < pngRuns) {
                classifier.classify(model, png);
            }
        }
    }

    /**
     * The paths fewer requests take: one explanation and one batch. Blocking. For a feature model the explanation
     * (a saliency map through the extractor) cost about a fifth of the whole warm-up at start.
     */
    static void otherPaths(Classifier classifier, Model model, int runs) {
        if (runs == 0) {
            return;
        }
        byte[] jpeg = picture(JPEG);
        classifier.explain(model, jpeg);
        classifier.inferImages(model, List.of(jpeg, picture(PNG)));
    }

    private static byte[] picture(String resource) {
        try (InputStream in = Warmup.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
