package com.catvsnoncat.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.catvsnoncat.Python;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NumpyRandomTest {

    @Test
    void seedOneGivesNumpysFirstStandardNormals() {
        // np.random.seed(1); np.random.randn(6)
        double[] expected = {1.6243453636632417, -0.6117564136500754, -0.5281717522634557,
            -1.0729686221561705, 0.8654076293246785, -2.3015386968802827};
        NumpyRandom random = new NumpyRandom(1);
        for (double value : expected) {
            assertThat(random.nextGaussian()).isEqualTo(value);
        }
    }

    @Test
    void uniformDoublesUseNumpys53BitConstruction() {
        // np.random.seed(3); np.random.random_sample(3)
        NumpyRandom random = new NumpyRandom(3);
        assertThat(random.nextDouble()).isEqualTo(0.5507979025745755);
        assertThat(random.nextDouble()).isEqualTo(0.7081478226181048);
        assertThat(random.nextDouble()).isEqualTo(0.2909047389129443);
    }

    @Test
    void permutationMatchesNumpyAfterNormalsWereDrawn() {
        // np.random.seed(7); np.random.permutation(10) and, after randn(3), permutation(209)[:10]
        assertThat(new NumpyRandom(7).permutation(10)).containsExactly(8, 5, 0, 2, 1, 9, 7, 3, 6, 4);
        NumpyRandom random = new NumpyRandom(7);
        random.randn(1, 3);
        assertThat(Arrays.copyOf(random.permutation(209), 10)).containsExactly(139, 65, 95, 22, 63, 46, 97, 11, 2, 82);
    }

    @Test
    void randnMatrixMatchesNumpyBitForBitOverTheReferenceInitialisation() {
        String out = Python.runNumpy("import numpy as np\n"
                + "np.random.seed(1)\n"
                + "a = np.random.randn(20, 12288)\n"
                + "b = np.random.randn(7, 20)\n"
                + "print(repr(float(a.sum())), repr(float(a[19, 12287])), repr(float(b[6, 19])))\n");
        String[] expected = out.trim().split(" ");
        NumpyRandom random = new NumpyRandom(1);
        double[][] a = random.randn(20, 12288);
        double[][] b = random.randn(7, 20);
        double sum = 0;
        for (double[] row : a) {
            for (double v : row) {
                sum += v;
            }
        }
        // The sum is order-dependent in the last bits (numpy uses pairwise summation): compare closely, and
        // compare single values exactly.
        assertThat(sum).isCloseTo(Double.parseDouble(expected[0]), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(a[19][12287]).isEqualTo(Double.parseDouble(expected[1]));
        assertThat(b[6][19]).isEqualTo(Double.parseDouble(expected[2]));
    }

    @Test
    void seedsOfTwoToTheThirtyOneAndAboveGiveNumpysStreams() {
        // np.random.seed(2**32 - 1); np.random.randn(3) and np.random.seed(2**31 + 5); np.random.random_sample(2)
        NumpyRandom highest = new NumpyRandom(0xffffffffL);
        assertThat(highest.nextGaussian()).isEqualTo(0.6484086742306527);
        assertThat(highest.nextGaussian()).isEqualTo(0.6693235306338161);
        assertThat(highest.nextGaussian()).isEqualTo(-1.0805437227474493);
        NumpyRandom high = new NumpyRandom((1L << 31) + 5);
        assertThat(high.nextDouble()).isEqualTo(0.9525886900954555);
        assertThat(high.nextDouble()).isEqualTo(0.5943222684062343);
    }

    @Test
    void rejectsSeedsNumpyRejects() {
        assertThatThrownBy(() -> new NumpyRandom(-1)).hasMessageContaining("2^32 - 1");
        assertThatThrownBy(() -> new NumpyRandom(1L << 32)).hasMessageContaining("2^32 - 1");
    }
}
