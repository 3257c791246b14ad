package com.catvsnoncat.data;

/**
 * The last step of every path from pixels to the network: 64x64 RGB pixels in row-major,
 * channel-last order (the layout of the reference HDF5 and of numpy's reshape(N, -1)) scaled by 1/255.
 */
public final class InputVectors {
    public static final int SIDE = 64;
    public static final int CHANNELS = 3;
    public static final int SIZE = SIDE * SIDE * CHANNELS;

    private InputVectors() {
    }

    /** @param rgb SIZE bytes, pixel (row, col) channel c at (row * SIDE + col) * 3 + c, unsigned */
    public static double[] fromRgbBytes(byte[] rgb) {
        if (rgb.length != SIZE) {
            throw new IllegalArgumentException("expected " + SIZE + " bytes of 64x64 RGB, got " + rgb.length);
        }
        double[] vector = new double[SIZE];
        for (int i = 0; i < SIZE; i++) {
            vector[i] = (rgb[i] & 0xff) / 255.0;
        }
        return vector;
    }

    /** The input vector of the picture mirrored left to right. */
    public static double[] mirrored(double[] vector) {
        if (vector.length != SIZE) {
            throw new IllegalArgumentException("mirroring needs 64x64 RGB input vectors, got " + vector.length + " values");
        }
        double[] mirror = new double[SIZE];
        for (int row = 0; row < SIDE; row++) {
            for (int col = 0; col < SIDE; col++) {
                System.arraycopy(vector, (row * SIDE + col) * CHANNELS, mirror,
                        (row * SIDE + SIDE - 1 - col) * CHANNELS, CHANNELS);
            }
        }
        return mirror;
    }
}
