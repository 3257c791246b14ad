package com.catvsnoncat.data;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * The one path from image bytes to the network's input: decode ({@link ImageDecoder}), stretch to 64x64 with
 * an area average ({@link ImageResizer}), scale to [0, 1] ({@link InputVectors}). Training on image folders,
 * the predict command and the HTTP service all go through here, so a picture is seen the same way everywhere.
 * Thread-safe.
 */
public final class ImagePreprocessor {
    private final ImageDecoder decoder;

    public ImagePreprocessor() {
        this(new ImageDecoder());
    }

    public ImagePreprocessor(ImageDecoder decoder) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
    }

    /**
     * @return 64x64 RGB bytes, row-major and channel-last, as the network sees the picture
     * @throws ImageDecodingException if the bytes are not a readable, supported picture within the size limit
     */
    public byte[] toRgb64(byte[] imageBytes) {
        BufferedImage image = decoder.decode(imageBytes, InputVectors.SIDE, InputVectors.SIDE);
        return ImageResizer.resize(image, InputVectors.SIDE, InputVectors.SIDE);
    }

    /**
     * @return the network's input vector of {@link InputVectors#SIZE} values in [0, 1]
     * @throws ImageDecodingException if the bytes are not a readable, supported picture within the size limit
     */
    public double[] toInputVector(byte[] imageBytes) {
        return InputVectors.fromRgbBytes(toRgb64(imageBytes));
    }
}
