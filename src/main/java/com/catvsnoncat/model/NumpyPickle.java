package com.catvsnoncat.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the pickle that numpy and Python write for a dict of numeric arrays, without running any pickle code: a
 * small stack machine written from the pickle format's public description (Python's {@code pickletools} module
 * documents every opcode), which knows a fixed handful of opcodes and builds only strings, numbers, tuples, lists,
 * dicts and float arrays. Nothing named in the pickle is ever looked up or called: the few globals numpy's pickles
 * name are recognised by their exact names and their effect is re-implemented here for the argument shapes numpy
 * writes.
 *
 * <p>Accepted: protocols 2 to 5; the globals {@code numpy.core.multiarray._reconstruct} (or
 * {@code numpy._core...}), {@code numpy.ndarray} and {@code numpy.dtype}, as every protocol writes an array; and
 * the two forms the bytes of an array take in protocols 2 and 5, {@code _codecs.encode(text, "latin1")} (protocol
 * 2 has no bytes opcode) and {@code numpy.core.numeric._frombuffer} (protocol 5's in-band buffer). Arrays must be
 * little-endian float64 or float32, or a 0-d object array (what {@code numpy.save} wraps a dict in). Everything
 * else (any other global, opcode, dtype or argument; more than {@value #MAX_VALUES} values, nesting deeper than
 * {@value #MAX_DEPTH}, a declared length beyond the bytes present, a truncated pickle) is refused with a
 * {@link ModelFileException}. Memory stays within a small multiple of the pickle's own size.
 */
final class NumpyPickle {
    static final int MAX_VALUES = 100_000;
    static final int MAX_DEPTH = 32;
    private static final int MAX_GLOBAL_NAME = 256;

    /** The callables numpy's pickles name, by the names they are written under. */
    private enum Callable {
        RECONSTRUCT, NDARRAY, DTYPE, CODECS_ENCODE, FROMBUFFER;

        static Callable named(String module, String name) {
            return switch (module + " " + name) {
                case "numpy.core.multiarray _reconstruct", "numpy._core.multiarray _reconstruct" -> RECONSTRUCT;
                case "numpy ndarray" -> NDARRAY;
                case "numpy dtype" -> DTYPE;
                case "_codecs encode" -> CODECS_ENCODE;
                case "numpy.core.numeric _frombuffer", "numpy._core.numeric _frombuffer" -> FROMBUFFER;
                default -> null;
            };
        }
    }

    /** Python's None (the stack holds no Java nulls, so a missing value is never mistaken for it). */
    private enum None { NONE }

    private record Tuple(List<Object> items, int depth) {
    }

    /** A list or dict with the nesting depth it had when last changed. */
    private static final class Container {
        final List<Object> list;
        final Map<Object, Object> dict;
        int depth = 1;

        Container(boolean isDict) {
            list = isDict ? null : new ArrayList<>();
            dict = isDict ? new LinkedHashMap<>() : null;
        }
    }

    /** numpy.dtype: "f8", "f4" or "O8", given its byte order by BUILD. */
    private static final class Dtype {
        final String code;
        String byteOrder;

        Dtype(String code) {
            this.code = code;
        }

        int itemSize() {
            return code.equals("f4") ? Float.BYTES : Double.BYTES;
        }

        boolean isObject() {
            return code.equals("O8");
        }
    }

    /** An array as {@code _reconstruct} makes it (empty until BUILD) or {@code _frombuffer} makes it (complete). */
    static final class Array {
        int[] shape;
        boolean fortranOrder;
        Dtype dtype;
        byte[] bytes;
        List<Object> objects;

        boolean built() {
            return shape != null;
        }

        /** The values as float64, C order. */
        NpyArray toNpyArray(String name) {
            if (dtype.isObject() || shape.length < 1 || shape.length > 2) {
                throw refusal(name + " must be a 1-D or 2-D float array");
            }
            int count = bytes.length / dtype.itemSize();
            double[] values = new double[count];
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++) {
                values[i] = dtype.itemSize() == Float.BYTES ? buffer.getFloat() : buffer.getDouble();
            }
            if (fortranOrder && shape.length == 2) {
                double[] rowMajor = new double[count];
                for (int i = 0; i < shape[0]; i++) {
                    for (int j = 0; j < shape[1]; j++) {
                        rowMajor[i * shape[1] + j] = values[j * shape[0] + i];
                    }
                }
                values = rowMajor;
            }
            return new NpyArray(shape, values);
        }
    }

    private final byte[] in;
    private int pos;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private int values;

    private NumpyPickle(byte[] in) {
        this.in = in;
    }

    /**
     * The dict of arrays in a pickle: either the dict itself or, as {@code numpy.save} writes it, a 0-d object
     * array holding it. Keys are strings, values float arrays.
     */
    static Map<String, NpyArray> readArrays(byte[] pickle) {
        Object top = new NumpyPickle(pickle).run();
        if (top instanceof Array array && array.dtype.isObject() && array.objects.size() == 1) {
            top = array.objects.get(0);
        }
        if (!(top instanceof Container container) || container.dict == null) {
            throw refusal("expected a dict of arrays, found " + describe(top));
        }
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> entry : container.dict.entrySet()) {
            if (!(entry.getKey() instanceof String name) || !(entry.getValue() instanceof Array array)) {
                throw refusal("expected a dict of arrays, found the entry " + describe(entry.getKey()) + ": "
                        + describe(entry.getValue()));
            }
            arrays.put(name, array.toNpyArray(name));
        }
        return arrays;
    }

    private Object run() {
        while (true) {
            int at = pos;
            int opcode = u8();
            if (opcode == '.') {
                if (stack.size() != 1 || !marks.isEmpty()) {
                    throw refusal("malformed pickle: STOP with " + stack.size() + " values on the stack");
                }
                if (pos != in.length) {
                    throw refusal((in.length - pos) + " bytes after the pickle's end");
                }
                return stack.get(0);
            }
            try {
                step(opcode);
            } catch (IndexOutOfBoundsException e) {
                throw refusal("malformed pickle: opcode 0x" + Integer.toHexString(opcode) + " at byte " + at
                        + " finds too few values on the stack");
            }
        }
    }

    private void step(int opcode) {
        switch (opcode) {
            case 0x80 -> { // PROTO
                int protocol = u8();
                if (protocol < 2 || protocol > 5) {
                    throw refusal("pickle protocol " + protocol + " (only 2 to 5 are read)");
                }
            }
            case 0x95 -> length(u64()); // FRAME: a hint for buffering; the length must still be there
            case '(' -> { // MARK
                if (marks.size() >= MAX_DEPTH) {
                    throw refusal("nested deeper than " + MAX_DEPTH + " levels");
                }
                marks.add(stack.size());
            }
            case 'N' -> push(None.NONE);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'K' -> push((long) u8()); // BININT1
            case 'M' -> push((long) (u8() | u8() << 8)); // BININT2
            case 'J' -> push((long) s32()); // BININT
            case 0x8a -> push(long1()); // LONG1
            case 'G' -> push(Double.longBitsToDouble(ByteBuffer.wrap(bytes(8)).getLong())); // BINFLOAT, big-endian
            case 0x8c -> push(utf8(bytes(u8()))); // SHORT_BINUNICODE
            case 'X' -> push(utf8(bytes(length(u32())))); // BINUNICODE
            case 0x8d -> push(utf8(bytes(length(u64())))); // BINUNICODE8
            case 'C' -> push(bytes(u8())); // SHORT_BINBYTES
            case 'B' -> push(bytes(length(u32()))); // BINBYTES
            case 0x8e, 0x96 -> push(bytes(length(u64()))); // BINBYTES8, BYTEARRAY8
            case ')' -> push(tuple(List.of()));
            case 0x85, 0x86, 0x87 -> { // TUPLE1, TUPLE2, TUPLE3
                int n = opcode - 0x84;
                List<Object> items = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
                pop(n);
                push(tuple(items));
            }
            case 't' -> push(tuple(popToMark())); // TUPLE
            case ']' -> push(new Container(false)); // EMPTY_LIST
            case '}' -> push(new Container(true)); // EMPTY_DICT
            case 'a' -> { // APPEND
                Object item = pop();
                append(container(false), List.of(item));
            }
            case 'e' -> { // APPENDS
                List<Object> items = popToMark();
                append(container(false), items);
            }
            case 's' -> { // SETITEM
                Object value = pop();
                Object key = pop();
                setItems(container(true), List.of(key, value));
            }
            case 'u' -> { // SETITEMS
                List<Object> items = popToMark();
                setItems(container(true), items);
            }
            case 'q' -> memo.put((long) u8(), top()); // BINPUT
            case 'r' -> memo.put(u32(), top()); // LONG_BINPUT
            case 0x94 -> memo.put((long) memo.size(), top()); // MEMOIZE
            case 'h' -> push(memoized(u8())); // BINGET
            case 'j' -> push(memoized(u32())); // LONG_BINGET
            case 'c' -> push(global(line(), line())); // GLOBAL
            case 0x93 -> { // STACK_GLOBAL
                Object name = pop();
                Object module = pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw refusal("malformed pickle: STACK_GLOBAL needs two strings");
                }
                push(global(m, n));
            }
            case 'R' -> { // REDUCE
                Object args = pop();
                Object callable = pop();
                push(reduce(callable, args));
            }
            case 'b' -> { // BUILD
                Object state = pop();
                build(top(), state);
            }
            default -> throw refusal("opcode 0x" + Integer.toHexString(opcode) + " at byte " + (pos - 1)
                    + " is not one that numpy writes for arrays");
        }
        if (memo.size() > MAX_VALUES) {
            throw refusal("more than " + MAX_VALUES + " memoized values");
        }
    }

    private static Callable global(String module, String name) {
        Callable callable = Callable.named(module, name);
        if (callable == null) {
            throw refusal("global " + module + "." + name + " is not allowed (only numpy's array globals)");
        }
        return callable;
    }

    private Object reduce(Object callable, Object args) {
        if (!(callable instanceof Callable function) || !(args instanceof Tuple tuple)) {
            throw refusal("REDUCE of " + describe(callable) + " is not allowed");
        }
        List<Object> a = tuple.items();
        switch (function) {
            case RECONSTRUCT -> {
                // _reconstruct(ndarray, (0,), b"b"): an empty array that BUILD fills.
                if (a.size() != 3 || a.get(0) != Callable.NDARRAY || !(a.get(1) instanceof Tuple)
                        || !(a.get(2) instanceof byte[] || a.get(2) instanceof String)) {
                    throw refusal("_reconstruct with unexpected arguments");
                }
                return new Array();
            }
            case DTYPE -> {
                // dtype("f8", False, True): the byte order comes with BUILD.
                if (a.size() != 3 || !(a.get(0) instanceof String code) || !List.of("f8", "f4", "O8").contains(code)
                        || a.get(1) != Boolean.FALSE || a.get(2) != Boolean.TRUE) {
                    throw refusal("dtype " + (a.isEmpty() ? "()" : describe(a.get(0)))
                            + " is not allowed (only float64, float32 and the object array around the dict)");
                }
                return new Dtype(code);
            }
            case CODECS_ENCODE -> {
                // Protocol 2 writes bytes as encode(text, "latin1"): one char per byte.
                if (a.size() != 2 || !(a.get(0) instanceof String text) || !"latin1".equals(a.get(1))) {
                    throw refusal("_codecs.encode with unexpected arguments");
                }
                byte[] bytes = new byte[text.length()];
                for (int i = 0; i < bytes.length; i++) {
                    char c = text.charAt(i);
                    if (c > 0xff) {
                        throw refusal("_codecs.encode of a character outside latin1");
                    }
                    bytes[i] = (byte) c;
                }
                return bytes;
            }
            case FROMBUFFER -> {
                // _frombuffer(buffer, dtype, shape, order): protocol 5's form of a contiguous array.
                if (a.size() != 4 || !(a.get(0) instanceof byte[] bytes) || !(a.get(1) instanceof Dtype dtype)
                        || !(a.get(2) instanceof Tuple shape) || !("C".equals(a.get(3)) || "F".equals(a.get(3)))) {
                    throw refusal("_frombuffer with unexpected arguments");
                }
                Array array = new Array();
                fill(array, shape, dtype, "F".equals(a.get(3)), bytes);
                return array;
            }
            default -> throw refusal("REDUCE of numpy.ndarray is not allowed");
        }
    }

    private static void build(Object target, Object state) {
        if (target instanceof Dtype dtype && dtype.byteOrder == null && state instanceof Tuple tuple
                && tuple.items().size() == 8 && Long.valueOf(3).equals(tuple.items().get(0))
                && tuple.items().get(1) instanceof String order) {
            // (3, "<", None, None, None, -1, -1, flags): version, byte order, no sub-dtype, names or fields.
            boolean ok = dtype.isObject() ? order.equals("|") : order.equals("<");
            for (int i = 2; i <= 4; i++) {
                ok &= tuple.items().get(i) == None.NONE;
            }
            if (!ok) {
                throw refusal("dtype " + dtype.code + " with byte order '" + order
                        + "' or fields is not allowed (only little-endian numbers)");
            }
            dtype.byteOrder = order;
            return;
        }
        if (target instanceof Array array && !array.built() && state instanceof Tuple tuple
                && tuple.items().size() == 5 && Long.valueOf(1).equals(tuple.items().get(0))
                && tuple.items().get(1) instanceof Tuple shape && tuple.items().get(2) instanceof Dtype dtype
                && tuple.items().get(3) instanceof Boolean fortran) {
            // (1, shape, dtype, fortran_order, data): data is bytes, or a list for an object array.
            Object data = tuple.items().get(4);
            if (dtype.isObject()) {
                if (!(data instanceof Container list) || list.list == null) {
                    throw refusal("an object array without its list of objects");
                }
                array.shape = dimensions(shape, dtype);
                if (array.shape.length != 0 || list.list.size() != 1) {
                    throw refusal("only a 0-d object array (numpy.save's wrapper around the dict) is allowed");
                }
                array.dtype = dtype;
                array.objects = list.list;
                return;
            }
            if (!(data instanceof byte[] bytes)) {
                throw refusal("an array without its bytes");
            }
            fill(array, shape, dtype, fortran, bytes);
            return;
        }
        throw refusal("BUILD of " + describe(target) + " with " + describe(state) + " is not allowed");
    }

    private static void fill(Array array, Tuple shape, Dtype dtype, boolean fortran, byte[] bytes) {
        if (dtype.byteOrder == null || dtype.isObject()) {
            throw refusal("an array of dtype " + dtype.code + " is not allowed");
        }
        int[] dims = dimensions(shape, dtype);
        long count = 1;
        for (int dim : dims) {
            count *= dim;
        }
        if (count * dtype.itemSize() != bytes.length) {
            throw refusal("an array of shape " + NpyArray.describe(dims) + " with " + bytes.length
                    + " bytes of data (needs " + count * dtype.itemSize() + ")");
        }
        array.shape = dims;
        array.dtype = dtype;
        array.fortranOrder = fortran;
        array.bytes = bytes;
    }

    private static int[] dimensions(Tuple shape, Dtype dtype) {
        List<Object> items = shape.items();
        if (items.size() > 2) {
            throw refusal("an array with " + items.size() + " dimensions (at most 2)");
        }
        int[] dims = new int[items.size()];
        for (int i = 0; i < dims.length; i++) {
            // Each dimension is bounded by the bytes present, checked by the caller: no overflow below 2^31.
            if (!(items.get(i) instanceof Long dim) || dim < 0 || dim > Integer.MAX_VALUE) {
                throw refusal("an array shape " + describe(shape) + " of dtype " + dtype.code);
            }
            dims[i] = dim.intValue();
        }
        return dims;
    }

    private Tuple tuple(List<Object> items) {
        int depth = 1;
        for (Object item : items) {
            depth = Math.max(depth, 1 + depthOf(item));
        }
        checkDepth(depth);
        return new Tuple(List.copyOf(items), depth);
    }

    private static int depthOf(Object value) {
        if (value instanceof Tuple tuple) {
            return tuple.depth();
        }
        return value instanceof Container container ? container.depth : 0;
    }

    private static void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw refusal("nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private Container container(boolean dict) {
        if (!(top() instanceof Container container) || (container.dict != null) != dict) {
            throw refusal((dict ? "SETITEM" : "APPEND") + " to " + describe(top()));
        }
        return container;
    }

    private static void append(Container list, List<Object> items) {
        for (Object item : items) {
            list.depth = Math.max(list.depth, 1 + depthOf(item));
        }
        checkDepth(list.depth);
        list.list.addAll(items);
    }

    private static void setItems(Container dict, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw refusal("malformed pickle: SETITEMS with an odd number of values");
        }
        for (int i = 0; i < items.size(); i += 2) {
            Object key = items.get(i);
            if (!(key instanceof String || key instanceof Long)) {
                throw refusal("a dict key " + describe(key) + " (only strings and integers)");
            }
            dict.depth = Math.max(dict.depth, 1 + depthOf(items.get(i + 1)));
            dict.dict.put(key, items.get(i + 1));
        }
        checkDepth(dict.depth);
    }

    private void push(Object value) {
        if (++values > MAX_VALUES) {
            throw refusal("more than " + MAX_VALUES + " values");
        }
        stack.add(value);
    }

    private Object pop() {
        checkAboveMark(1);
        return stack.remove(stack.size() - 1);
    }

    private void pop(int n) {
        checkAboveMark(n);
        stack.subList(stack.size() - n, stack.size()).clear();
    }

    private Object top() {
        checkAboveMark(1);
        return stack.get(stack.size() - 1);
    }

    private void checkAboveMark(int n) {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() - n < floor) {
            throw refusal("malformed pickle: an opcode at byte " + (pos - 1) + " reaches below its MARK");
        }
    }

    private List<Object> popToMark() {
        if (marks.isEmpty()) {
            throw refusal("malformed pickle: no MARK");
        }
        int mark = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(mark, stack.size()));
        stack.subList(mark, stack.size()).clear();
        return items;
    }

    private Object memoized(long index) {
        Object value = memo.get(index);
        if (value == null) {
            throw refusal("malformed pickle: memo entry " + index + " was never stored");
        }
        return value;
    }

    private int u8() {
        require(1);
        return in[pos++] & 0xff;
    }

    private int s32() {
        require(4);
        int value = ByteBuffer.wrap(in, pos, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        pos += 4;
        return value;
    }

    private long u32() {
        return Integer.toUnsignedLong(s32());
    }

    private long u64() {
        require(8);
        long value = ByteBuffer.wrap(in, pos, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        pos += 8;
        return value;
    }

    /** LONG1: a little-endian two's-complement integer of up to 8 bytes (numpy's never need more). */
    private long long1() {
        int n = u8();
        if (n > 8) {
            throw refusal("an integer of " + n + " bytes");
        }
        byte[] b = bytes(n);
        long value = 0;
        for (int i = n - 1; i >= 0; i--) {
            value = value << 8 | (b[i] & 0xff);
        }
        return n == 0 || n == 8 ? value : value << (64 - 8 * n) >> (64 - 8 * n);
    }

    /** A declared length, checked against the bytes present before anything is allocated. */
    private int length(long declared) {
        if (declared < 0 || declared > in.length - pos) {
            throw refusal("a length of " + Long.toUnsignedString(declared) + " bytes at byte " + pos + " but only "
                    + (in.length - pos) + " remain (truncated or forged)");
        }
        return (int) declared;
    }

    private byte[] bytes(int n) {
        require(n);
        byte[] b = new byte[n];
        System.arraycopy(in, pos, b, 0, n);
        pos += n;
        return b;
    }

    private String line() {
        int start = pos;
        while (pos < in.length && in[pos] != '\n') {
            if (pos - start >= MAX_GLOBAL_NAME) {
                throw refusal("a global name longer than " + MAX_GLOBAL_NAME + " characters");
            }
            pos++;
        }
        require(1);
        String text = new String(in, start, pos - start, StandardCharsets.US_ASCII);
        pos++;
        return text;
    }

    private void require(int n) {
        if (n > in.length - pos) {
            throw refusal("truncated pickle: it ends at byte " + in.length + " in the middle of a value");
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw refusal("a string that is not UTF-8");
        }
    }

    private static String describe(Object value) {
        if (value instanceof String s) {
            return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        }
        if (value instanceof Callable callable) {
            return callable.name().toLowerCase(Locale.ROOT);
        }
        if (value instanceof Container container) {
            return container.dict != null ? "a dict" : "a list";
        }
        if (value instanceof Array) {
            return "an array";
        }
        return value instanceof byte[] ? "bytes" : value == null ? "nothing" : value.getClass().getSimpleName()
                .toLowerCase(Locale.ROOT);
    }

    private static ModelFileException refusal(String problem) {
        return new ModelFileException("refused pickle: " + problem);
    }
}
