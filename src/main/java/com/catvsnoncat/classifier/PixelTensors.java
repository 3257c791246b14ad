package com.catvsnoncat.classifier;

import com.catvsnoncat.bus.Failure;
import com.catvsnoncat.data.InputVectors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;

/**
 * Pixel tensors of INFER, N x 64 x 64 x 3 row-major and channel-last (the input layout), as UINT8 bytes or FP32
 * little-endian values in 0..255, turned into the network's input vectors.
 */
final class PixelTensors {
    private static final String UINT8 = ClassifierApi.UINT8;
    private static final String FP32 = ClassifierApi.FP32;
    private static final double MAX_VALUE = 255;

    private PixelTensors() {
    }

    /** @return the bytes per value of the datatype (case-insensitive) */
    static int bytesPerValue(String datatype) {
        if (datatype == null) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, ClassifierApi.DATATYPE + " is required with "
                    + ClassifierApi.PIXELS + " (" + UINT8 + " or " + FP32 + ")");
        }
        return switch (datatype.toUpperCase(Locale.ROOT)) {
            case UINT8 -> 1;
            case FP32 -> Float.BYTES;
            default -> throw new ClassifierFailure(Failure.BAD_REQUEST, "unsupported " + ClassifierApi.DATATYPE
                    + " " + datatype + "; expected " + UINT8 + " or " + FP32);
        };
    }

    /** @throws ClassifierFailure (400) when the length does not match count x 64 x 64 x 3 values or a value is out of range */
    static double[][] inputs(byte[] pixels, int count, String datatype) {
        int width = bytesPerValue(datatype);
        long expected = (long) count * InputVectors.SIZE * width;
        if (pixels.length != expected) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, ClassifierApi.PIXELS + " has " + pixels.length
                    + " bytes; " + count + " x 64 x 64 x 3 " + datatype + " values take " + expected);
        }
        double[][] inputs = new double[count][];
        if (width == 1) {
            for (int n = 0; n < count; n++) {
                int from = n * InputVectors.SIZE;
                inputs[n] = InputVectors.fromRgbBytes(Arrays.copyOfRange(pixels, from, from + InputVectors.SIZE));
            }
            return inputs;
        }
        ByteBuffer buffer = ByteBuffer.wrap(pixels).order(ByteOrder.LITTLE_ENDIAN);
        for (int n = 0; n < count; n++) {
            double[] input = new double[InputVectors.SIZE];
            for (int i = 0; i < input.length; i++) {
                float value = buffer.getFloat();
                if (!(value >= 0 && value <= MAX_VALUE)) {
                    throw new ClassifierFailure(Failure.BAD_REQUEST, ClassifierApi.PIXELS + " value " + value
                            + " at image " + n + ", index " + i + " is outside 0..255");
                }
                // The same scaling as InputVectors.fromRgbBytes, for values that need not be integers.
                input[i] = value / MAX_VALUE;
            }
            inputs[n] = input;
        }
        return inputs;
    }
}
