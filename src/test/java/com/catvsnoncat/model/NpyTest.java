package com.catvsnoncat.model;

import static com.catvsnoncat.model.TestModels.littleEndianDoubles;
import static com.catvsnoncat.model.TestModels.npy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.junit.jupiter.api.Test;

class NpyTest {

    private static NpyArray read(byte[] bytes) throws IOException {
        return Npy.read(new ByteArrayInputStream(bytes), Long.MAX_VALUE);
    }

    @Test
    void writesNumpysHeaderAlignedTo64Bytes() {
        byte[] bytes = Npy.write(NpyArray.of(new Array2DRowRealMatrix(new double[][] {{1, 2, 3}, {4, 5, 6}})));

        int headerLength = ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        String header = new String(bytes, 10, headerLength, StandardCharsets.ISO_8859_1);
        assertThat((10 + headerLength) % 64).isZero();
        assertThat(header).startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }").endsWith(" \n");
        assertThat(bytes.length).isEqualTo(10 + headerLength + 6 * 8);
    }

    @Test
    void readsBackWhatItWrites() throws IOException {
        double[] values = {-0.0, Double.MIN_VALUE, Double.NaN, 1e300, -2.5, 7};
        NpyArray matrix = read(Npy.write(new NpyArray(new int[] {2, 3}, values.clone())));
        NpyArray vector = read(Npy.write(NpyArray.of(values)));

        assertThat(matrix.shape()).containsExactly(2, 3);
        assertThat(matrix.data()).isEqualTo(values);
        assertThat(matrix.toMatrix().getDataRef()[1]).containsExactly(1e300, -2.5, 7.0);
        assertThat(vector.shape()).containsExactly(6);
        assertThat(vector.data()).isEqualTo(values);
    }

    @Test
    void readsVersion2And3Headers() throws IOException {
        for (int major = 2; major <= 3; major++) {
            String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }" + " ".repeat(52) + "\n";
            ByteBuffer bytes = ByteBuffer.allocate(12 + header.length() + 16).order(ByteOrder.LITTLE_ENDIAN)
                    .put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0})
                    .putInt(header.length())
                    .put(header.getBytes(StandardCharsets.ISO_8859_1))
                    .put(littleEndianDoubles(0.5, -1.5));

            assertThat(read(bytes.array()).data()).containsExactly(0.5, -1.5);
        }
    }

    @Test
    void rejectsOtherDtypesOrdersAndRanks() {
        assertRejected(npy("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", new byte[16]), "unsupported dtype '>f8'");
        assertRejected(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", new byte[8]), "unsupported dtype '<f4'");
        assertRejected(npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", new byte[32]), "Fortran-order");
        assertRejected(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2, 2), }", new byte[64]), "only 1-D and 2-D");
        assertRejected(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", new byte[8]), "unsupported shape ()");
        assertRejected(npy("{'descr': [('x', '<f8')], 'fortran_order': False, 'shape': (2,), }", new byte[16]),
                "structured and object dtypes are not supported");
        assertRejected(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'extra': 'x', }", new byte[16]),
                "exactly the keys descr, fortran_order and shape");
    }

    @Test
    void rejectsDataOfTheWrongLength() {
        assertRejected(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", new byte[16]),
                "shape (3,) needs 24 bytes of data, found only 16");
        assertRejected(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", new byte[16]),
                "more data than shape (1,) needs (8 bytes)");
    }

    @Test
    void lyingShapeDoesNotAllocateWhatItClaims() {
        // 16 GB if allocated up front, far beyond the test heap: only a clear error shows nothing was.
        assertRejected(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2000000000), }", new byte[80]),
                "shape (1, 2000000000) needs 16000000000 bytes of data, found only 80");
    }

    @Test
    void shapeBeyondTheCallersLimitIsRejectedBeforeReadingData() {
        byte[] bytes = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000, 1000), }", new byte[0]);

        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(bytes), 1 << 20))
                .isInstanceOf(ModelFileException.class)
                .hasMessage("shape (1000, 1000) needs 8000000 bytes of data, more than the 1048576 allowed");
    }

    @Test
    void rejectsHeadersLongerThan64KiB() {
        ByteBuffer bytes = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
                .put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(Integer.MAX_VALUE);

        assertRejected(bytes.array(), ".npy header is 2147483647 bytes, more than the 65536 allowed");
    }

    @Test
    void rejectsWhatIsNotNpy() {
        assertRejected("PK\u0003\u0004 not numpy".getBytes(StandardCharsets.ISO_8859_1), "not a .npy array");
        assertRejected(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,)", new byte[16]), "malformed .npy header");
        assertRejected(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }", new byte[0]),
                "malformed .npy header");
    }

    private static void assertRejected(byte[] bytes, String message) {
        assertThatThrownBy(() -> read(bytes)).isInstanceOf(ModelFileException.class).hasMessageContaining(message);
    }
}
