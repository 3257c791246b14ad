package com.catvsnoncat.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.catvsnoncat.model.BackboneFile;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernels against the scalar ones they replace, on the bundled extractor and random pictures (the
 * parity test against TensorFlow.js runs whichever kernels the JVM uses: here the vector ones), and a batch
 * against the same pictures one at a time. Float32 sums in another order differ by rounding only.
 */
class VectorConvolutionsTest {
    private static final double TOLERANCE = 1e-5;

    @BeforeAll
    static void theVectorKernelsAreInUse() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "the tests run with --add-modules jdk.incubator.vector (pom.xml, surefire argLine)");
        assumeTrue(MobileNetV2.VECTOR_KERNELS, "this CPU has no 256-bit vectors");
    }

    @Test
    void vectorKernelsComputeTheScalarKernelsFeaturesAtEveryInputSizeLayerByLayerAndRowByRow() {
        MobileNetV2 network = BackboneFile.bundled(BackboneFile.MOBILENETV2).network();
        Random random = new Random(15);
        for (int side : new int[] {64, 96, 128}) {
            float[][] pictures = {randomPicture(random, side), randomPicture(random, side)};
            double[][] scalar = network.features(pictures, side, false, false);
            double[][] layerByLayer = network.features(pictures, side, true, false);
            double[][] rowByRow = network.features(pictures, side, true, true);
            for (int i = 0; i < pictures.length; i++) {
                assertClose(scalar[i], layerByLayer[i], "picture " + i + " at " + side + ", layer by layer");
                assertClose(scalar[i], rowByRow[i], "picture " + i + " at " + side + ", blocks row by row");
            }
        }
    }

    @Test
    void aBatchHasTheFeaturesOfItsPicturesOneAtATime() {
        MobileNetV2 network = BackboneFile.bundled(BackboneFile.MOBILENETV2).network();
        Random random = new Random(16);
        float[][] pictures = new float[5][];
        for (int i = 0; i < pictures.length; i++) {
            pictures[i] = randomPicture(random, 64);
        }
        double[][] batch = network.features(pictures, 64);
        for (int i = 0; i < pictures.length; i++) {
            assertClose(network.features(pictures[i], 64), batch[i], "picture " + i + " of the batch");
        }
        // A smaller batch after a larger one reuses the larger tensors.
        assertClose(network.features(pictures[4], 64), network.features(new float[][] {pictures[4]}, 64)[0],
                "after the batch");
    }

    @Test
    void aOneByOneConvolutionGivesEveryOutputChannelWhateverItsCountAndThePixelCount() {
        Random random = new Random(17);
        // 24 leaves 8 channels over a 16-float vector, 13 and 70 leave odd counts: the zero-padded last panel.
        for (int out : new int[] {8, 13, 24, 32, 70, 96}) {
            for (int pixels : new int[] {1, 3, 4, 7, 8, 13}) {
                int in = 11;
                float[][] rows = new float[in][out];
                float[] weights = new float[in * out];
                for (int k = 0; k < in; k++) {
                    for (int c = 0; c < out; c++) {
                        rows[k][c] = weights[k * out + c] = random.nextFloat() - 0.5f;
                    }
                }
                float[] bias = new float[out];
                for (int c = 0; c < out; c++) {
                    bias[c] = random.nextFloat() * 4 - 1;
                }
                float[][] input = new float[pixels][in];
                float[][] residual = new float[pixels][out];
                for (int p = 0; p < pixels; p++) {
                    for (int k = 0; k < in; k++) {
                        input[p][k] = random.nextFloat() * 6;
                    }
                    for (int c = 0; c < out; c++) {
                        residual[p][c] = random.nextFloat();
                    }
                }
                float[] packed = VectorConvolutions.pack(weights, bias, in, out);
                for (boolean relu6 : new boolean[] {true, false}) {
                    float[][] withResidual = relu6 ? null : residual;
                    float[][] expected = new float[pixels][out];
                    float[][] actual = new float[pixels][VectorConvolutions.rowLength(out)];
                    Convolutions.pointwise(input, pixels, rows, bias, relu6, withResidual, expected);
                    VectorConvolutions.pointwise(input, 0, pixels, in, out, packed, relu6, withResidual, actual, 0);
                    for (int p = 0; p < pixels; p++) {
                        for (int c = 0; c < out; c++) {
                            assertEquals(expected[p][c], actual[p][c], TOLERANCE, out + " channels, " + pixels
                                    + " pixels, relu6 " + relu6 + ": pixel " + p + ", channel " + c);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aDepthwiseConvolutionGivesTheScalarKernelsOutputsAtEveryStrideAndWidth() {
        Random random = new Random(19);
        // {side, stride, padding top/left, padding bottom/right}: stride 1 with an even and an odd number of
        // columns (the pair kernel and the scalar one), stride 2 padded as Keras pads it and unpadded, and stride 3
        // (the scalar kernel); 21 and 40 channels leave channels over a vector for the scalar kernel.
        int[][] shapes = {{8, 1, 1, 1}, {7, 1, 1, 1}, {8, 2, 0, 1}, {9, 2, 0, 0}, {9, 3, 0, 0}};
        for (int channels : new int[] {16, 21, 40}) {
            for (int[] shape : shapes) {
                int side = shape[0];
                int stride = shape[1];
                int outSide = (side + shape[2] + shape[3] - 3) / stride + 1;
                float[][] weights = new float[9][channels];
                for (float[] tap : weights) {
                    for (int c = 0; c < channels; c++) {
                        tap[c] = random.nextFloat() - 0.5f;
                    }
                }
                float[] bias = new float[channels];
                for (int c = 0; c < channels; c++) {
                    bias[c] = random.nextFloat() * 4 - 1;
                }
                // A second picture after the first: the kernels read rows from inputBase.
                float[][] input = new float[2 * side * side][VectorConvolutions.rowLength(channels)];
                for (float[] pixel : input) {
                    for (int c = 0; c < channels; c++) {
                        pixel[c] = random.nextFloat() * 6;
                    }
                }
                for (boolean relu6 : new boolean[] {true, false}) {
                    float[][] expected = new float[outSide * outSide][channels];
                    float[][] actual = new float[outSide * outSide][VectorConvolutions.rowLength(channels)];
                    Convolutions.depthwise(input, side * side, side, weights, bias, stride, shape[2], shape[2],
                            outSide, relu6, expected, 0);
                    VectorConvolutions.depthwise(input, side * side, side, weights, bias, stride, shape[2],
                            shape[2], outSide, relu6, actual, 0);
                    for (int p = 0; p < expected.length; p++) {
                        for (int c = 0; c < channels; c++) {
                            assertEquals(expected[p][c], actual[p][c], TOLERANCE, channels + " channels, side "
                                    + side + ", stride " + stride + ", relu6 " + relu6 + ": pixel " + p
                                    + ", channel " + c);
                        }
                    }
                }
            }
        }
    }

    /**
     * Once compiled, a pass allocates its features and little else: no boxed vectors (a kernel left to C1's code,
     * as happened when one was too big for C1, allocated 37 MB a 96x96 picture), no copy of a padded panel's lanes
     * per pixel, no tensors (the workspace is kept per thread). Passes run until one is within the bound, for at
     * most 30 s of this thread's CPU time: long enough for C2 however busy the machine.
     */
    @Test
    void aPassOnceCompiledAllocatesLittleMoreThanItsFeatures() {
        MobileNetV2 network = BackboneFile.bundled(BackboneFile.MOBILENETV2).network();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long bound = network.featureCount() * 8L + 16 * 1024;
        for (int side : new int[] {64, 96}) {
            float[] picture = randomPicture(new Random(18), side);
            long deadline = threads.getCurrentThreadCpuTime() + 30_000_000_000L;
            long fewest = Long.MAX_VALUE;
            while (fewest > bound && threads.getCurrentThreadCpuTime() < deadline) {
                long before = threads.getCurrentThreadAllocatedBytes();
                network.features(picture, side);
                fewest = Math.min(fewest, threads.getCurrentThreadAllocatedBytes() - before);
            }
            assertTrue(fewest <= bound, "at " + side + "x" + side + " the least a pass allocated was " + fewest
                    + " bytes, more than " + bound);
        }
    }

    private static float[] randomPicture(Random random, int side) {
        float[] picture = new float[side * side * 3];
        for (int i = 0; i < picture.length; i++) {
            picture[i] = random.nextFloat();
        }
        return picture;
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double largest = 0;
        for (int c = 0; c < expected.length; c++) {
            assertEquals(expected[c], actual[c], TOLERANCE, what + ", feature " + c);
            largest = Math.max(largest, Math.abs(expected[c]));
        }
        assertTrue(largest > 0.1, what + ": the features are not all near 0");
    }
}
