package com.catvsnoncat.classifier;

import com.catvsnoncat.bus.Failure;
import com.catvsnoncat.data.ImageDecoder;
import com.catvsnoncat.data.ImageDecodingException;
import com.catvsnoncat.data.ImagePreprocessor;
import com.catvsnoncat.data.InputVectors;
import com.catvsnoncat.model.Model;
import com.catvsnoncat.nn.Saliency;
import java.util.List;

/**
 * The classifier's CPU work, without Vert.x: picture bytes to the network's input (through the one
 * {@link ImagePreprocessor} path), standardisation when the model has one, and the network. Blocking and
 * CPU-heavy: call it on a worker thread. Thread-safe.
 */
public final class Classifier {
    /** The reference's threshold, as in {@link com.catvsnoncat.nn.Metrics}. */
    private static final double CAT_THRESHOLD = 0.5;

    private final ImagePreprocessor preprocessor;
    private final SaliencyImages saliencyImages;

    public Classifier(long maxPixels, int maxSide, int saliencyScale) {
        this.preprocessor = new ImagePreprocessor(new ImageDecoder(maxPixels, maxSide));
        this.saliencyImages = new SaliencyImages(saliencyScale);
    }

    public static String label(double probability) {
        return probability > CAT_THRESHOLD ? ClassifierApi.CAT : ClassifierApi.NON_CAT;
    }

    /** One picture's probability of cat and where the time went. */
    public record Prediction(double probability, long decodeNanos, long inferNanos) {
        public String label() {
            return Classifier.label(probability);
        }
    }

    /** A prediction with the saliency overlay and the 64x64 input picture, both PNG. */
    public record Explanation(Prediction prediction, byte[] saliencyPng, byte[] picturePng) {
    }

    /** Probabilities of a batch, in request order. */
    public record Batch(double[] probabilities, long decodeNanos, long inferNanos) {
    }

    /** @throws ClassifierFailure when the bytes are not a usable picture (400, 413, 415 or 422) */
    public Prediction classify(Model model, byte[] image) {
        long start = System.nanoTime();
        double[] input = decode(image, "");
        long decoded = System.nanoTime();
        double probability = model.predict(input);
        return new Prediction(probability, decoded - start, System.nanoTime() - decoded);
    }

    public Explanation explain(Model model, byte[] image) {
        long start = System.nanoTime();
        byte[] rgb = toRgb64(image, "");
        double[] input = InputVectors.fromRgbBytes(rgb);
        long decoded = System.nanoTime();
        Saliency.Result saliency = Saliency.of(model.features(), model.network(), model.standardizer(),
                input);
        long inferred = System.nanoTime();
        return new Explanation(new Prediction(saliency.probability(), decoded - start, inferred - decoded),
                saliencyImages.overlayPng(rgb, saliency.gradient()), saliencyImages.picturePng(rgb));
    }

    /** Decodes every picture, then runs the batch as one matrix product. */
    public Batch inferImages(Model model, List<byte[]> images) {
        long start = System.nanoTime();
        Batch batch = inferInputs(model, inputs(images));
        return new Batch(batch.probabilities(), System.nanoTime() - start - batch.inferNanos(), batch.inferNanos());
    }

    /** @param inputs raw input vectors (values in [0, 1], not standardised) */
    public Batch inferInputs(Model model, double[][] inputs) {
        long start = System.nanoTime();
        double[] probabilities = model.predict(inputs);
        return new Batch(probabilities, 0, System.nanoTime() - start);
    }

    /** A picture's input vector (values in [0, 1]), for a network pass run elsewhere. */
    public double[] input(byte[] image) {
        return decode(image, "");
    }

    /** Every picture's input vector, in order; a failure names the picture. */
    public double[][] inputs(List<byte[]> images) {
        double[][] inputs = new double[images.size()][];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = decode(images.get(i), ClassifierApi.IMAGES + "[" + i + "]: ");
        }
        return inputs;
    }

    private double[] decode(byte[] image, String where) {
        return InputVectors.fromRgbBytes(toRgb64(image, where));
    }

    private byte[] toRgb64(byte[] image, String where) {
        try {
            return preprocessor.toRgb64(image);
        } catch (ImageDecodingException e) {
            throw new ClassifierFailure(failureOf(e.kind()), where + e.getMessage(), e);
        }
    }

    /**
     * Too many pixels is 413 like a too-large upload: the limit is on size, and the user's remedy is the same
     * (send a smaller picture).
     */
    static Failure failureOf(ImageDecodingException.Kind kind) {
        return switch (kind) {
            case EMPTY -> Failure.BAD_REQUEST;
            case UNSUPPORTED_FORMAT -> Failure.UNSUPPORTED_MEDIA_TYPE;
            case CORRUPT -> Failure.UNPROCESSABLE;
            case TOO_LARGE -> Failure.PAYLOAD_TOO_LARGE;
        };
    }
}
