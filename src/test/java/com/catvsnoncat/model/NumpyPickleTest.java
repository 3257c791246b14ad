package com.catvsnoncat.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pickle reader on what numpy writes (fixtures made by src/test/resources/pickles/make_fixtures.py) and on
 * hostile pickles built here byte by byte: each is refused with one {@link ModelFileException}, nothing named in
 * it runs, and memory stays small.
 */
class NumpyPickleTest {
    private static final double[] W1 = {-0.75, -0.625, -0.5, -0.375, -0.25, -0.125, 0, 0.125, 0.25, 0.375, 0.5, 0.625};

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = NumpyPickleTest.class.getResourceAsStream("/pickles/" + name)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5})
    void readsADictOfArraysInEveryProtocolNumpyWrites(int protocol) throws IOException {
        Map<String, NpyArray> arrays = NumpyPickle.readArrays(fixture("dict-p" + protocol + ".pickle"));

        assertThat(arrays.keySet()).containsExactly("W1", "b1", "W2", "b2");
        assertThat(arrays.get("W1").shape()).containsExactly(3, 4);
        assertThat(arrays.get("W1").data()).containsExactly(W1);
        assertThat(arrays.get("b1").data()).containsExactly(0.5, -0.25, 0.125);
        assertThat(arrays.get("W2").shape()).containsExactly(1, 3);
        assertThat(arrays.get("W2").data()).as("float32 widened").containsExactly(1.5, -2.0, 0.75);
        assertThat(arrays.get("b2").data()).containsExactly(-0.0625);
    }

    @Test
    void loadsAModelSavedAsTheOriginalSavedIts(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("parameters.npz");
        Files.write(file, fixture("parameters.npz"));

        Model model = ModelFile.read(file);

        assertThat(model.network().layerSizes()).containsExactly(4, 3, 1);
        // relu(W1 x + b1) = (0, 0, 1) for x = (1, 0, 0, 1); then W2 h + b2 = 0.75 - 0.0625 = 0.6875
        assertThat(model.predict(new double[] {1, 0, 0, 1})).isEqualTo(1 / (1 + Math.exp(-0.6875)));
    }

    @Test
    void refusesAnOsSystemReduceWithoutRunningIt(@TempDir Path dir) {
        Path marker = dir.resolve("ran");
        byte[] pickle = new Pickle().proto(2).global("os", "system").unicode("touch " + marker).op(0x85).op('R')
                .op('.').bytes();

        assertRefused(pickle, "global os.system is not allowed");
        assertThat(marker).doesNotExist();
    }

    @Test
    void refusesBuiltinsEval(@TempDir Path dir) {
        Path marker = dir.resolve("ran");
        byte[] pickle = new Pickle().proto(4).unicode("builtins").unicode("eval").op(0x93)
                .unicode("open('" + marker + "', 'w')").op(0x85).op('R').op('.').bytes();

        assertRefused(pickle, "global builtins.eval is not allowed");
        assertThat(marker).doesNotExist();
    }

    @Test
    void refusesSubprocessPopen(@TempDir Path dir) {
        Path marker = dir.resolve("ran");
        byte[] pickle = new Pickle().proto(3).global("subprocess", "Popen").op(']').unicode("touch")
                .unicode(marker.toString()).op('a').op('a').op(0x85).op('R').op('.').bytes();

        assertRefused(pickle, "global subprocess.Popen is not allowed");
        assertThat(marker).doesNotExist();
    }

    @Test
    void refusesAnUnknownClassAndTheOpcodesThatBuildObjects() {
        assertRefused(new Pickle().proto(2).global("collections", "OrderedDict").op(')').op('R').op('.').bytes(),
                "global collections.OrderedDict is not allowed");
        assertRefused(new Pickle().proto(2).global("numpy", "random").op('.').bytes(), "global numpy.random");
        // INST, OBJ, NEWOBJ: the other ways a pickle makes an object
        for (int opcode : new int[] {'i', 'o', 0x81, 0x92}) {
            assertRefused(new Pickle().proto(2).op(')').op(')').op(opcode).op('.').bytes(), "opcode 0x");
        }
    }

    @Test
    void refusesReducingAnAllowedNameWithOtherArguments() {
        // numpy.dtype("O") as a trojan for an object array of anything
        assertRefused(new Pickle().proto(2).global("numpy", "dtype").unicode("i8").op(0x89).op(0x88).op(0x87)
                .op('R').op('.').bytes(), "dtype 'i8' is not allowed");
        // numpy.ndarray called directly
        assertRefused(new Pickle().proto(2).global("numpy", "ndarray").op(')').op('R').op('.').bytes(),
                "REDUCE of numpy.ndarray");
    }

    @Test
    void refusesAMillionLevelsOfNesting() {
        byte[] marks = new Pickle().proto(2).repeat('(', 1_000_000).op('.').bytes();
        assertRefused(marks, "nested deeper than 32 levels");

        byte[] tuples = new Pickle().proto(2).op('N').repeat(0x85, 1_000_000).op('.').bytes();
        assertRefused(tuples, "nested deeper than 32 levels");

        Pickle lists = new Pickle().proto(2).repeat(']', 1_000_000).repeat('a', 999_999).op('.');
        assertRefused(lists.bytes(), "more than 100000 values");
    }

    @Test
    void refusesDeclaredLengthsBeyondTheBytesPresentBeforeAllocating() {
        byte[] twoGib = new Pickle().proto(3).op('B').u32(1L << 31).raw(new byte[16]).op('.').bytes();
        assertRefused(twoGib, "a length of 2147483648 bytes");

        byte[] huge = new Pickle().proto(4).op(0x8e).u64(Long.MAX_VALUE).op('.').bytes();
        assertRefused(huge, "a length of 9223372036854775807 bytes");

        byte[] unsigned = new Pickle().proto(4).op(0x8d).u64(-1L).op('.').bytes();
        assertRefused(unsigned, "a length of 18446744073709551615 bytes");

        byte[] frame = new Pickle().proto(4).op(0x95).u64(1L << 31).op('N').op('.').bytes();
        assertRefused(frame, "a length of 2147483648 bytes");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5})
    void refusesEveryTruncationOfAValidPickle(int protocol) throws IOException {
        byte[] pickle = fixture("dict-p" + protocol + ".pickle");

        // Every prefix, so every opcode boundary and every cut inside an opcode's argument.
        for (int length = 0; length < pickle.length; length++) {
            byte[] cut = Arrays.copyOf(pickle, length);
            assertThatThrownBy(() -> NumpyPickle.readArrays(cut)).as("cut at byte %d", length)
                    .isInstanceOf(ModelFileException.class).hasMessageStartingWith("refused pickle: ");
        }
    }

    @Test
    void refusesBytesAfterTheEnd() throws IOException {
        byte[] pickle = fixture("dict-p4.pickle");

        assertRefused(Arrays.copyOf(pickle, pickle.length + 1), "1 bytes after the pickle's end");
    }

    @Test
    void refusesArraysWhoseShapeDisagreesWithTheirBytes() throws IOException {
        byte[] pickle = fixture("dict-p3.pickle");
        // W1's shape (3, 4) written as BININT1 3, BININT1 4 after the array's state MARK: make it (3, 5).
        byte[] forged = replaceFirst(pickle, new byte[] {'K', 3, 'K', 4}, new byte[] {'K', 3, 'K', 5});

        assertRefused(forged, "an array of shape (3, 5) with 96 bytes of data (needs 120)");
    }

    @Test
    void refusesTheOriginalFileFormatAroundAHostilePickle(@TempDir Path dir) throws IOException {
        byte[] pickle = new Pickle().proto(2).global("os", "system").unicode("true").op(0x85).op('R').op('.').bytes();
        String header = "{'descr': '|O', 'fortran_order': False, 'shape': (), }";
        header = header + " ".repeat(63 - (10 + header.length()) % 64) + "\n";
        ByteArrayOutputStream npy = new ByteArrayOutputStream();
        npy.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        npy.write(header.getBytes(StandardCharsets.US_ASCII));
        npy.write(pickle);
        Path file = dir.resolve("parameters.npz");
        Files.write(file, ModelFile.zip(Map.of(OriginalParameters.ENTRY, npy.toByteArray())));

        assertThatThrownBy(() -> ModelFile.read(file)).isInstanceOf(ModelFileException.class)
                .hasMessage(file + ": parameters.npy: refused pickle: global os.system is not allowed (only "
                        + "numpy's array globals)");
    }

    private static void assertRefused(byte[] pickle, String fragment) {
        assertThatThrownBy(() -> NumpyPickle.readArrays(pickle)).isInstanceOf(ModelFileException.class)
                .hasMessageStartingWith("refused pickle: ").hasMessageContaining(fragment);
    }

    private static byte[] replaceFirst(byte[] bytes, byte[] find, byte[] replacement) {
        for (int i = 0; i + find.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + find.length, find, 0, find.length)) {
                byte[] copy = bytes.clone();
                System.arraycopy(replacement, 0, copy, i, replacement.length);
                return copy;
            }
        }
        throw new AssertionError("pattern not found");
    }

    /** Writes pickle opcodes as the format describes them. */
    private static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int opcode) {
            out.write(opcode);
            return this;
        }

        Pickle repeat(int opcode, int times) {
            for (int i = 0; i < times; i++) {
                out.write(opcode);
            }
            return this;
        }

        Pickle proto(int protocol) {
            return op(0x80).op(protocol);
        }

        Pickle global(String module, String name) {
            return op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        }

        Pickle unicode(String text) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            return op('X').u32(utf8.length).raw(utf8);
        }

        Pickle u32(long value) {
            return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array());
        }

        Pickle u64(long value) {
            return raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        }

        Pickle raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
