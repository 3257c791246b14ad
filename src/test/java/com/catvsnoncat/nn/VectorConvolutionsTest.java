package com.catvsnoncat.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.catvsnoncat.model.BackboneFile;
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
