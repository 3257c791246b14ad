package com.catvsnoncat.data;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * Resizes RGB pictures deterministically, in exact integer arithmetic: an area average (a box filter
 * weighted by the exact fraction of each source pixel an output pixel covers) along an axis that shrinks,
 * bilinear interpolation (pixel centres aligned, edges clamped) along an axis that grows. The aspect ratio is
 * not kept: the picture is stretched to the target, as the original system did with Pillow's resize((64, 64)).
 * A picture already at the target size comes out bit-identical.
 */
public final class ImageResizer {
    private ImageResizer() {
    }

    /**
     * @param image a TYPE_INT_RGB picture, as {@link ImageDecoder} returns
     * @return targetWidth x targetHeight RGB bytes, row-major and channel-last (the layout of
     *         {@link InputVectors#fromRgbBytes})
     */
    public static byte[] resize(BufferedImage image, int targetWidth, int targetHeight) {
        if (image.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("expected a TYPE_INT_RGB image (as ImageDecoder returns), got type "
                    + image.getType());
        }
        int width = image.getWidth();
        int height = image.getHeight();
        int[] pixels = (int[]) image.getRaster().getDataElements(0, 0, width, height, null);
        return resize(pixels, width, height, targetWidth, targetHeight);
    }

    /**
     * @param rgb pixels as 0xRRGGBB, row-major; the top byte is ignored
     * @return targetWidth x targetHeight RGB bytes, row-major and channel-last
     */
    public static byte[] resize(int[] rgb, int width, int height, int targetWidth, int targetHeight) {
        if (width <= 0 || height <= 0 || targetWidth <= 0 || targetHeight <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + width + "x" + height + " to "
                    + targetWidth + "x" + targetHeight);
        }
        if (rgb.length != (long) width * height) {
            throw new IllegalArgumentException("expected " + width * height + " pixels for " + width + "x" + height
                    + ", got " + rgb.length);
        }
        Weights columns = Weights.of(width, targetWidth);
        Weights rows = Weights.of(height, targetHeight);
        long denominator = columns.total * rows.total;
        if (denominator > Long.MAX_VALUE / 512) {
            // 2 * 255 * denominator must fit in a long for the sums below.
            throw new IllegalArgumentException("cannot resize " + width + "x" + height + " to " + targetWidth + "x"
                    + targetHeight + " exactly: sizes too large");
        }
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(targetWidth, targetHeight), 3)];
        // Each source row is resized horizontally once, though neighbouring output rows share it: a ring of the
        // last few, as many as one output row takes (its rows are consecutive, so they fall in different slots).
        int ring = rows.maxTaps();
        long[][] resizedRows = new long[ring][targetWidth * 3];
        int[] ringRow = new int[ring];
        Arrays.fill(ringRow, -1);
        long[] sum = new long[targetWidth * 3];
        double reciprocal = 1.0 / (2 * denominator);
        for (int y = 0; y < targetHeight; y++) {
            Arrays.fill(sum, 0);
            for (int k = 0; k < rows.weights[y].length; k++) {
                int sourceRow = rows.first[y] + k;
                int slot = sourceRow % ring;
                if (ringRow[slot] != sourceRow) {
                    resizeRow(rgb, sourceRow * width, columns, resizedRows[slot]);
                    ringRow[slot] = sourceRow;
                }
                long[] resized = resizedRows[slot];
                long weight = rows.weights[y][k];
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += weight * resized[i];
                }
            }
            int offset = y * targetWidth * 3;
            for (int i = 0; i < sum.length; i++) {
                // Rounds half up; weights are non-negative and sum to the denominator, so the result is 0..255.
                out[offset + i] = (byte) roundedQuotient(2 * sum[i] + denominator, 2 * denominator, reciprocal);
            }
        }
        return out;
    }

    /**
     * numerator / divisor rounded down, for a quotient of 0..255: a multiplication by the divisor's reciprocal, off
     * by at most one from the exact quotient (its relative error is some 1e-16), then corrected; cheaper than a
     * long division per value.
     */
    static long roundedQuotient(long numerator, long divisor, double reciprocal) {
        long quotient = (long) (numerator * reciprocal);
        if (quotient * divisor > numerator) {
            quotient--;
        } else if ((quotient + 1) * divisor <= numerator) {
            quotient++;
        }
        return quotient;
    }

    /** One source row resized horizontally, each channel scaled by columns.total. */
    private static void resizeRow(int[] rgb, int rowStart, Weights columns, long[] result) {
        for (int x = 0; x < columns.first.length; x++) {
            long r = 0;
            long g = 0;
            long b = 0;
            int[] weights = columns.weights[x];
            for (int k = 0; k < weights.length; k++) {
                int pixel = rgb[rowStart + columns.first[x] + k];
                r += (long) weights[k] * (pixel >> 16 & 0xff);
                g += (long) weights[k] * (pixel >> 8 & 0xff);
                b += (long) weights[k] * (pixel & 0xff);
            }
            result[3 * x] = r;
            result[3 * x + 1] = g;
            result[3 * x + 2] = b;
        }
    }

    /**
     * For each output position along one axis, the first contributing source position and the integer weights
     * of the consecutive source positions from there; every output position's weights sum to {@code total}.
     */
    private static final class Weights {
        final int[] first;
        final int[][] weights;
        final long total;

        private Weights(int[] first, int[][] weights, long total) {
            this.first = first;
            this.weights = weights;
            this.total = total;
        }

        /** The most source positions any output position takes. */
        int maxTaps() {
            int taps = 0;
            for (int[] each : weights) {
                taps = Math.max(taps, each.length);
            }
            return taps;
        }

        static Weights of(int source, int target) {
            return target < source ? areaAverage(source, target) : bilinear(source, target);
        }

        /**
         * Measured in units of 1/target source pixel, source pixel i spans [i*target, (i+1)*target) and output
         * pixel x spans [x*source, (x+1)*source): overlaps are integers and each output pixel totals source.
         */
        private static Weights areaAverage(int source, int target) {
            int[] first = new int[target];
            int[][] weights = new int[target][];
            for (int x = 0; x < target; x++) {
                long start = (long) x * source;
                long end = start + source;
                int from = (int) (start / target);
                int to = (int) ((end - 1) / target);
                first[x] = from;
                weights[x] = new int[to - from + 1];
                for (int i = from; i <= to; i++) {
                    long overlap = Math.min(end, (long) (i + 1) * target) - Math.max(start, (long) i * target);
                    weights[x][i - from] = (int) overlap;
                }
            }
            return new Weights(first, weights, source);
        }

        /**
         * Output pixel x is centred on source position (x + 1/2) * source / target - 1/2, which in units of
         * 1/(2*target) is the integer (2x + 1) * source - target; its two neighbours share 2*target.
         */
        private static Weights bilinear(int source, int target) {
            long unit = 2L * target;
            int[] first = new int[target];
            int[][] weights = new int[target][];
            for (int x = 0; x < target; x++) {
                long centre = (2L * x + 1) * source - target;
                int left = (int) Math.floorDiv(centre, unit);
                int fraction = (int) Math.floorMod(centre, unit);
                if (left < 0) {
                    first[x] = 0;
                    weights[x] = new int[] {(int) unit};
                } else if (left >= source - 1 || fraction == 0) {
                    first[x] = Math.min(left, source - 1);
                    weights[x] = new int[] {(int) unit};
                } else {
                    first[x] = left;
                    weights[x] = new int[] {(int) unit - fraction, fraction};
                }
            }
            return new Weights(first, weights, unit);
        }
    }
}
