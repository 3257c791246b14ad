package com.catvsnoncat.model;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes one array in numpy's .npy format, restricted to what a model needs: little-endian float64
 * ('&lt;f8') in C order, 1-D or 2-D. Anything else (other dtypes, object arrays, Fortran order) is rejected,
 * so reading never unpickles and never trusts the header more than the bytes that follow it.
 *
 * @see <a href="https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html">numpy.lib.format</a>
 */
public final class Npy {
    /** numpy's own limit for a header it will read without {@code max_header_size}. */
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;
    // numpy leaves room for the first axis to grow to this many digits so headers can be rewritten in place.
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final String DTYPE = "<f8";
    private static final Set<String> HEADER_KEYS = Set.of("descr", "fortran_order", "shape");
    private static final int CHUNK_VALUES = 8192;

    private Npy() {
    }

    /** The .npy bytes (format 1.0) of an array, identical to what {@code numpy.save} writes for it. */
    public static byte[] write(NpyArray array) {
        int[] shape = array.shape();
        String dict = "{'descr': '" + DTYPE + "', 'fortran_order': False, 'shape': " + NpyArray.describe(shape) + ", }"
                + " ".repeat(GROWTH_AXIS_MAX_DIGITS - String.valueOf(shape[0]).length());
        int prefix = MAGIC.length + 2 + 2;
        int padding = ALIGNMENT - (prefix + dict.length() + 1) % ALIGNMENT;
        String header = dict + " ".repeat(padding) + "\n";
        double[] data = array.data();
        ByteBuffer out = ByteBuffer.allocate(prefix + header.length() + data.length * Double.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        out.asDoubleBuffer().put(data);
        return out.array();
    }

    /**
     * Reads one array that must fill {@code in} to its end.
     *
     * @param maxDataBytes the most data bytes the caller accepts; a header announcing more is rejected before
     *                     anything is allocated, and memory grows only with the bytes that actually arrive
     * @throws ModelFileException if the bytes are not a supported .npy array
     */
    public static NpyArray read(InputStream in, long maxDataBytes) throws IOException {
        int[] shape = readHeader(in);
        long count = 1;
        for (int dim : shape) {
            count *= dim; // at most two dimensions below 2^31, so this cannot overflow
        }
        if (count > Math.min(maxDataBytes / Double.BYTES, Integer.MAX_VALUE - 8)) {
            throw new ModelFileException("shape " + NpyArray.describe(shape) + " needs "
                    + BigInteger.valueOf(count).multiply(BigInteger.valueOf(Double.BYTES))
                    + " bytes of data, more than the " + maxDataBytes + " allowed");
        }
        long dataBytes = count * Double.BYTES;
        double[] data = new double[(int) Math.min(count, CHUNK_VALUES)];
        byte[] chunk = new byte[CHUNK_VALUES * Double.BYTES];
        int filled = 0;
        while (filled < count) {
            int values = (int) Math.min(CHUNK_VALUES, count - filled);
            int got = in.readNBytes(chunk, 0, values * Double.BYTES);
            if (got < values * Double.BYTES) {
                throw new ModelFileException("shape " + NpyArray.describe(shape) + " needs " + dataBytes
                        + " bytes of data, found only " + ((long) filled * Double.BYTES + got));
            }
            if (filled + values > data.length) {
                data = Arrays.copyOf(data, (int) Math.min(count, Math.max(2L * data.length, filled + values)));
            }
            ByteBuffer.wrap(chunk, 0, got).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(data, filled, values);
            filled += values;
        }
        if (in.read() != -1) {
            throw new ModelFileException("more data than shape " + NpyArray.describe(shape) + " needs ("
                    + dataBytes + " bytes)");
        }
        return new NpyArray(shape, data);
    }

    /** A .npy header: the dtype descriptor, the order and the shape, not yet checked against what is supported. */
    record Header(Object descr, Object fortranOrder, Object shape) {
    }

    private static int[] readHeader(InputStream in) throws IOException {
        Header header = readAnyHeader(in);
        if (!DTYPE.equals(header.descr())) {
            throw new ModelFileException("unsupported dtype " + HeaderParser.repr(header.descr())
                    + ", only '" + DTYPE + "' (little-endian float64) is supported");
        }
        if (!Boolean.FALSE.equals(header.fortranOrder())) {
            throw new ModelFileException("Fortran-order arrays are not supported, only C order (fortran_order False)");
        }
        if (!(header.shape() instanceof long[] dims) || dims.length < 1 || dims.length > 2) {
            throw new ModelFileException("unsupported shape " + HeaderParser.repr(header.shape()) + ", only 1-D and 2-D arrays are supported");
        }
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] > Integer.MAX_VALUE) {
                throw new ModelFileException("dimension " + dims[i] + " in the shape is too large");
            }
            shape[i] = (int) dims[i];
        }
        return shape;
    }

    /** Reads the magic string and the header dict of any .npy file, leaving {@code in} at the data. */
    static Header readAnyHeader(InputStream in) throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length + 2);
        if (magic.length < MAGIC.length + 2 || !Arrays.equals(magic, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new ModelFileException("not a .npy array (bad magic string)");
        }
        int major = magic[MAGIC.length];
        int minor = magic[MAGIC.length + 1];
        if (major < 1 || major > 3 || minor != 0) {
            throw new ModelFileException("unsupported .npy format version " + major + "." + minor);
        }
        // Version 1.0 stores the header length in 2 bytes, 2.0 and 3.0 in 4.
        byte[] lengthBytes = in.readNBytes(major == 1 ? 2 : 4);
        if (lengthBytes.length < (major == 1 ? 2 : 4)) {
            throw new ModelFileException("truncated .npy header");
        }
        ByteBuffer lengthBuffer = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = major == 1 ? Short.toUnsignedInt(lengthBuffer.getShort()) : Integer.toUnsignedLong(lengthBuffer.getInt());
        if (headerLength > MAX_HEADER_BYTES) {
            throw new ModelFileException(".npy header is " + headerLength + " bytes, more than the " + MAX_HEADER_BYTES + " allowed");
        }
        byte[] header = in.readNBytes((int) headerLength);
        if (header.length < headerLength) {
            throw new ModelFileException("truncated .npy header");
        }
        // Latin-1 for versions 1 and 2, UTF-8 for 3; a supported header is ASCII in both.
        Map<String, Object> dict = new HeaderParser(new String(header, StandardCharsets.ISO_8859_1)).parse();
        if (!dict.keySet().equals(HEADER_KEYS)) {
            throw new ModelFileException(".npy header must have exactly the keys descr, fortran_order and shape, has " + dict.keySet());
        }
        return new Header(dict.get("descr"), dict.get("fortran_order"), dict.get("shape"));
    }

    /**
     * Parses the Python literal dict of a .npy header: string keys; string, True/False or tuple-of-int values.
     * Structured dtypes (lists) and anything else are syntax errors here, which is how they get rejected.
     */
    private static final class HeaderParser {
        private final String text;
        private int pos;

        HeaderParser(String text) {
            this.text = text;
        }

        Map<String, Object> parse() {
            Map<String, Object> dict = new LinkedHashMap<>();
            expect('{');
            while (!peek('}')) {
                String key = string();
                expect(':');
                if (dict.put(key, value()) != null) {
                    throw error("duplicate key '" + key + "'");
                }
                if (!accept(',')) {
                    break;
                }
            }
            expect('}');
            skipSpace();
            if (pos != text.length()) {
                throw error("unexpected text after the dict");
            }
            return dict;
        }

        private Object value() {
            skipSpace();
            if (peek('\'') || peek('"')) {
                return string();
            }
            if (text.startsWith("True", pos) || text.startsWith("False", pos)) {
                boolean value = text.startsWith("True", pos);
                pos += value ? 4 : 5;
                return value;
            }
            if (accept('(')) {
                List<Long> dims = new ArrayList<>();
                while (!peek(')')) {
                    dims.add(integer());
                    if (!accept(',')) {
                        break;
                    }
                }
                expect(')');
                return dims.stream().mapToLong(Long::longValue).toArray();
            }
            throw error("unsupported value (structured and object dtypes are not supported)");
        }

        private String string() {
            skipSpace();
            char quote = pos < text.length() ? text.charAt(pos) : 0;
            if (quote != '\'' && quote != '"') {
                throw error("expected a string");
            }
            int end = text.indexOf(quote, pos + 1);
            if (end < 0) {
                throw error("unterminated string");
            }
            String value = text.substring(pos + 1, end);
            pos = end + 1;
            return value;
        }

        private long integer() {
            skipSpace();
            int start = pos;
            while (pos < text.length() && pos - start < 18 && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            if (pos == start || (pos < text.length() && Character.isDigit(text.charAt(pos)))) {
                throw error("expected a dimension (a non-negative integer below 10^18)");
            }
            return Long.parseLong(text, start, pos, 10);
        }

        private boolean peek(char c) {
            skipSpace();
            return pos < text.length() && text.charAt(pos) == c;
        }

        private boolean accept(char c) {
            if (peek(c)) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!accept(c)) {
                throw error("expected '" + c + "'");
            }
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private ModelFileException error(String problem) {
            return new ModelFileException("malformed .npy header at offset " + pos + ": " + problem);
        }

        static String repr(Object value) {
            if (value instanceof String s) {
                return "'" + s + "'";
            }
            if (value instanceof long[] dims) {
                return dims.length == 1 ? "(" + dims[0] + ",)" : Arrays.toString(dims).replace('[', '(').replace(']', ')');
            }
            return String.valueOf(value);
        }
    }
}
