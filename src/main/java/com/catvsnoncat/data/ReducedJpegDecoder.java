package com.catvsnoncat.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decodes a baseline JPEG at one eighth of its size straight from its DCT coefficients: each 8x8 block's DC
 * coefficient is the exact average of its 64 pixels, so the picture comes out already box-filtered (no aliasing)
 * without any inverse DCT, upsampling or colour conversion at full size. This is libjpeg's 1/8 "DCT scaling"
 * (scale_denom 8), which ImageIO does not expose: its source subsampling still decodes every pixel and then
 * skips most of them. About 10x less work for a photo that is shrunk to 64x64 anyway.
 *
 * <p>Only the common case is handled: sequential Huffman JPEGs with 8-bit samples, grey or JFIF YCbCr, any
 * sampling factors, restart markers. For anything else (progressive, arithmetic coding, 12-bit, CMYK, Adobe RGB)
 * and for any damage (bad Huffman code, data that ends early) {@link #decode} returns null, so the caller decodes
 * the bytes the ordinary way and reports problems exactly as before. Stateless and thread-safe.
 */
final class ReducedJpegDecoder {
    /** The output is this many times smaller than the picture on each side. */
    static final int SCALE = 8;
    private static final int MAX_COMPONENTS = 3;
    private static final int BLOCK_COEFFICIENTS = 64;
    private static final int LOOKUP_BITS = 9;
    /** Bits looked at in one step of skipping several AC coefficients (a 16 KB table per AC table). */
    private static final int RUN_BITS = 12;
    /**
     * Huffman table definitions a picture may carry and still take this path. A baseline encoder writes at most 4 DC
     * and 4 AC tables; a file redefining them over and over would make this path build a table per definition, so
     * it goes to the ordinary decoder, whose cost per definition is libjpeg's usual one.
     */
    private static final int MAX_TABLE_DEFINITIONS = 16;
    /**
     * Tables built before, by their definition (class, code counts and symbols as the file gives them): most pictures
     * come from a few encoders' usual tables, and building an AC table's runs costs about as much as skipping a
     * tenth of a 640x640 picture's blocks. Immutable once built; cleared when full, so odd tables cannot pile up.
     */
    private static final Map<String, Huffman> BUILT = new ConcurrentHashMap<>();
    private static final int MAX_BUILT = 64;
    private static final int CENTRE = 128;
    private static final int FIX_SHIFT = 16;
    private static final int HALF = 1 << (FIX_SHIFT - 1);
    // libjpeg's fixed-point JFIF YCbCr to RGB coefficients (jdcolor.c), so colours match its decoder.
    private static final int CR_TO_R = fix(1.40200);
    private static final int CB_TO_G = fix(0.34414);
    private static final int CR_TO_G = fix(0.71414);
    private static final int CB_TO_B = fix(1.77200);

    private ReducedJpegDecoder() {
    }

    /**
     * @param maxPixels pictures declaring more pixels are left to the ordinary path, which refuses them
     * @param maxSide   so are pictures with a side longer than this
     * @param minWidth  the reduced picture must be at least this wide (else null: the ordinary path decodes it)
     * @param minHeight and at least this high
     * @return the picture at 1/8 of its size (sides rounded up) as TYPE_INT_RGB, or null when this decoder does not
     *         handle these bytes
     */
    static BufferedImage decode(byte[] bytes, long maxPixels, int maxSide, int minWidth, int minHeight) {
        try {
            return new Parse(bytes).run(maxPixels, maxSide, minWidth, minHeight);
        } catch (RuntimeException e) {
            // Unsupported, or damage of any kind (an index out of bounds...): the ordinary decoder decides.
            return null;
        }
    }

    private static int fix(double value) {
        return (int) (value * (1 << FIX_SHIFT) + 0.5);
    }

    /** Thrown inside to leave the fast path; never escapes {@link #decode}. */
    private static final class Unsupported extends RuntimeException {
        private static final Unsupported INSTANCE = new Unsupported();

        private Unsupported() {
            super(null, null, false, false);
        }
    }

    private static Unsupported unsupported() {
        return Unsupported.INSTANCE;
    }

    /** A Huffman table: a lookup of the first {@link #LOOKUP_BITS} bits, then the canonical code ranges. */
    static final class Huffman {
        /** (code length << 8 | symbol) for codes up to LOOKUP_BITS long, 0 for longer ones. */
        final int[] lookup = new int[1 << LOOKUP_BITS];
        /**
         * For an AC table, the same first bits as one step of skipping a coefficient: (coefficients to advance
         * << 8 | code length plus the value's bits), 0 advance for the end of the block; 0 for longer codes.
         */
        final int[] skip = new int[1 << LOOKUP_BITS];
        /**
         * For an AC table, the first {@link #RUN_BITS} bits as the whole codes and values they hold, one after the
         * other up to an end of block ({@link #run}); 0 when they do not hold one.
         */
        final int[] runs;
        final int[] maxCode = new int[18];
        final int[] valueOffset = new int[17];
        final int[] symbols;

        Huffman(int[] counts, int[] symbols, boolean ac) {
            this.symbols = symbols;
            int code = 0;
            int k = 0;
            for (int length = 1; length <= 16; length++) {
                valueOffset[length] = k - code;
                for (int i = 0; i < counts[length]; i++, k++, code++) {
                    if (length <= LOOKUP_BITS) {
                        int shift = LOOKUP_BITS - length;
                        for (int fill = 0; fill < 1 << shift; fill++) {
                            lookup[code << shift | fill] = length << 8 | symbols[k];
                            skip[code << shift | fill] = acSkip(length, symbols[k]);
                        }
                    }
                }
                maxCode[length] = counts[length] == 0 ? -1 : code - 1;
                if (code > 1 << length) {
                    throw unsupported();
                }
                code <<= 1;
            }
            maxCode[17] = Integer.MAX_VALUE;
            runs = ac ? new int[1 << RUN_BITS] : null;
            for (int peek = 0; ac && peek < runs.length; peek++) {
                runs[peek] = run(peek);
            }
        }

        /**
         * The AC symbols that {@code peek}'s {@link #RUN_BITS} bits hold whole (code and value), one table step
         * after another, stopping after an end of block: (coefficients they advance plus one for an end of block)
         * << 8 | (end of block) << 7 | bits they take. Using it is the same as taking the steps one by one, as long
         * as the block has room for the coefficients it advances.
         */
        private int run(int peek) {
            // Zeros after the bits: a step that fits within them does not depend on what follows.
            long window = (long) peek << LOOKUP_BITS;
            int used = 0;
            int advance = 0;
            while (used < RUN_BITS) {
                int step = skip[(int) (window >>> (RUN_BITS - used)) & ((1 << LOOKUP_BITS) - 1)];
                if (step == 0 || used + (step & 0xff) > RUN_BITS) {
                    break;
                }
                used += step & 0xff;
                if (step >>> 8 == 0) {
                    return (advance + 1) << 8 | 1 << 7 | used;
                }
                advance += step >>> 8;
            }
            return used == 0 ? 0 : advance << 8 | used;
        }

        /** An AC symbol (run << 4 | size) as a skip: end of block, 16 zeros, or a run of zeros and a value. */
        private static int acSkip(int length, int rs) {
            if (rs == 0) {
                return length;
            }
            int advance = rs == 0xf0 ? 16 : (rs >> 4) + 1;
            return advance << 8 | length + (rs & 15);
        }
    }

    private static final class Component {
        int id;
        int h;
        int v;
        int quantTable;
        int dcTable;
        int acTable;
        int dcQuant;
        int blocksWide;
        int blocksHigh;
        /** The DC coefficient (times the quantiser) of every block, row by row. */
        int[] dc;
        int prediction;
        boolean scanned;
    }

    /** One decoding: the markers, then the entropy-coded data. */
    private static final class Parse {
        private final byte[] data;
        private int position;
        private final int[] quantDc = {-1, -1, -1, -1};
        private final Huffman[] dcTables = new Huffman[4];
        private final Huffman[] acTables = new Huffman[4];
        private int tableDefinitions;
        private Component[] components;
        private int width;
        private int height;
        private int maxH;
        private int maxV;
        private int restartInterval;
        private boolean framed;
        private int scans;
        // Bit reader state.
        private long bits;
        private int bitCount;
        /** Set once the data ends (a marker or the array's end); zero bits are fed after it. */
        private boolean markerHit;
        /** How many of the buffered bits are such fed zeros (the lowest ones). */
        private int padBits;

        Parse(byte[] data) {
            this.data = data;
        }

        BufferedImage run(long maxPixels, int maxSide, int minWidth, int minHeight) {
            if (u8() != 0xff || u8() != 0xd8) {
                throw unsupported();
            }
            while (true) {
                int marker = nextMarker();
                switch (marker) {
                    case 0xc0, 0xc1 -> frame(maxPixels, maxSide, minWidth, minHeight);
                    case 0xc4 -> huffmanTables();
                    case 0xdb -> quantTables();
                    case 0xdd -> {
                        u16();
                        restartInterval = u16();
                    }
                    case 0xda -> scan();
                    case 0xd9 -> {
                        return image();
                    }
                    case 0xee -> throw unsupported(); // Adobe: its transform flag may say RGB or YCCK
                    default -> {
                        if (marker >= 0xc0 && marker <= 0xcf) {
                            throw unsupported(); // progressive, lossless, arithmetic coding
                        }
                        int length = u16();
                        position += length - 2; // APPn, COM and the like
                    }
                }
            }
        }

        private int nextMarker() {
            if (u8() != 0xff) {
                throw unsupported();
            }
            int marker = u8();
            while (marker == 0xff) {
                marker = u8();
            }
            return marker;
        }

        private void frame(long maxPixels, int maxSide, int minWidth, int minHeight) {
            int end = position + u16();
            if (framed || u8() != 8) {
                throw unsupported();
            }
            height = u16();
            width = u16();
            int count = u8();
            // Checked before anything is allocated: a header can announce 65535 x 65535 pixels.
            if (width == 0 || height == 0 || (count != 1 && count != MAX_COMPONENTS)
                    || (long) width * height > maxPixels || width > maxSide || height > maxSide || (width + SCALE - 1) / SCALE < minWidth
                    || (height + SCALE - 1) / SCALE < minHeight) {
                throw unsupported();
            }
            components = new Component[count];
            for (int i = 0; i < count; i++) {
                Component c = new Component();
                c.id = u8();
                int sampling = u8();
                c.h = sampling >> 4;
                c.v = sampling & 15;
                c.quantTable = u8();
                if (c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 || c.quantTable > 3) {
                    throw unsupported();
                }
                maxH = Math.max(maxH, c.h);
                maxV = Math.max(maxV, c.v);
                components[i] = c;
            }
            if (count == MAX_COMPONENTS && components[0].id == 'R' && components[1].id == 'G'
                    && components[2].id == 'B') {
                throw unsupported(); // RGB, not YCbCr
            }
            int mcusWide = (width + 8 * maxH - 1) / (8 * maxH);
            int mcusHigh = (height + 8 * maxV - 1) / (8 * maxV);
            for (Component c : components) {
                c.blocksWide = mcusWide * c.h;
                c.blocksHigh = mcusHigh * c.v;
                c.dc = new int[c.blocksWide * c.blocksHigh];
            }
            position = end;
            framed = true;
        }

        private void quantTables() {
            int end = position + u16();
            while (position < end) {
                int info = u8();
                int table = info & 15;
                if (table > 3) {
                    throw unsupported();
                }
                boolean sixteenBits = info >> 4 != 0;
                quantDc[table] = sixteenBits ? u16() : u8();
                position += (BLOCK_COEFFICIENTS - 1) * (sixteenBits ? 2 : 1);
            }
        }

        private void huffmanTables() {
            int end = position + u16();
            while (position < end) {
                int info = u8();
                int table = info & 15;
                if (table > 3 || info >> 4 > 1 || ++tableDefinitions > MAX_TABLE_DEFINITIONS) {
                    throw unsupported();
                }
                int definition = position;
                int[] counts = new int[17];
                int total = 0;
                for (int length = 1; length <= 16; length++) {
                    counts[length] = u8();
                    total += counts[length];
                }
                if (total > 256) {
                    throw unsupported();
                }
                int[] symbols = new int[total];
                for (int i = 0; i < total; i++) {
                    symbols[i] = u8();
                }
                boolean ac = info >> 4 == 1;
                String key = (ac ? "A" : "D") + new String(data, definition, position - definition,
                        StandardCharsets.ISO_8859_1);
                Huffman huffman = BUILT.get(key);
                if (huffman == null) {
                    huffman = new Huffman(counts, symbols, ac);
                    if (BUILT.size() >= MAX_BUILT) {
                        BUILT.clear();
                    }
                    BUILT.put(key, huffman);
                }
                (ac ? acTables : dcTables)[table] = huffman;
            }
        }

        private void scan() {
            if (!framed) {
                throw unsupported();
            }
            int end = position + u16();
            int count = u8();
            if (count < 1 || count > components.length) {
                throw unsupported();
            }
            Component[] inScan = new Component[count];
            for (int i = 0; i < count; i++) {
                int id = u8();
                int tables = u8();
                Component c = byId(id);
                c.dcTable = tables >> 4;
                c.acTable = tables & 15;
                if (c.dcTable > 3 || c.acTable > 3 || dcTables[c.dcTable] == null || acTables[c.acTable] == null
                        || quantDc[c.quantTable] < 0) {
                    throw unsupported();
                }
                c.dcQuant = quantDc[c.quantTable];
                c.scanned = true;
                inScan[i] = c;
            }
            // Spectral selection 0..63 and no successive approximation: a sequential scan.
            if (u8() != 0 || u8() != 63 || u8() != 0) {
                throw unsupported();
            }
            position = end;
            scans++;
            entropyData(inScan);
        }

        private Component byId(int id) {
            for (Component c : components) {
                if (c.id == id) {
                    return c;
                }
            }
            throw unsupported();
        }

        private void entropyData(Component[] inScan) {
            resetBits();
            for (Component c : inScan) {
                c.prediction = 0;
            }
            boolean single = inScan.length == 1;
            // A single-component scan codes only the component's own blocks (not the MCU padding).
            int unitsWide = single ? (int) ceilDiv((long) width * inScan[0].h, 8L * maxH)
                    : (width + 8 * maxH - 1) / (8 * maxH);
            int unitsHigh = single ? (int) ceilDiv((long) height * inScan[0].v, 8L * maxV)
                    : (height + 8 * maxV - 1) / (8 * maxV);
            int untilRestart = restartInterval;
            for (int uy = 0; uy < unitsHigh; uy++) {
                for (int ux = 0; ux < unitsWide; ux++) {
                    unit(inScan, single, ux, uy);
                    if (restartInterval > 0 && --untilRestart == 0 && (uy + 1 < unitsHigh || ux + 1 < unitsWide)) {
                        restart(inScan);
                        untilRestart = restartInterval;
                    }
                }
            }
            seekMarker();
        }

        /** One MCU of an interleaved scan, or one block of a single-component scan, at unit column ux, row uy. */
        private void unit(Component[] inScan, boolean single, int ux, int uy) {
            if (single) {
                Component c = inScan[0];
                c.dc[uy * c.blocksWide + ux] = block(c);
            } else {
                for (Component c : inScan) {
                    for (int by = 0; by < c.v; by++) {
                        int row = (uy * c.v + by) * c.blocksWide + ux * c.h;
                        for (int bx = 0; bx < c.h; bx++) {
                            c.dc[row + bx] = block(c);
                        }
                    }
                }
            }
            if (bitCount < padBits) {
                throw unsupported(); // the data ended before the picture did
            }
        }

        private void resetBits() {
            bits = 0;
            bitCount = 0;
            padBits = 0;
            markerHit = false;
        }

        /** Goes back over the bytes read ahead but not used, then on to the marker after the entropy data. */
        private void seekMarker() {
            position -= (bitCount - padBits) / 8;
            while (position + 1 < data.length
                    && !(data[position] == (byte) 0xff && data[position + 1] != 0)) {
                position++;
            }
        }

        /** Expects RSTn at a restart boundary: bits are byte-aligned again and predictions start over. */
        private void restart(Component[] inScan) {
            seekMarker();
            resetBits();
            int marker = nextMarker();
            if (marker < 0xd0 || marker > 0xd7) {
                throw unsupported();
            }
            for (Component c : inScan) {
                c.prediction = 0;
            }
        }

        /** Decodes one block and returns its dequantised DC coefficient; the AC coefficients are skipped. */
        private int block(Component c) {
            fill();
            int size = decode(dcTables[c.dcTable]);
            if (size > 11) {
                throw unsupported();
            }
            if (size > 0) {
                bitCount -= size;
                int value = (int) (bits >>> bitCount) & ((1 << size) - 1);
                c.prediction += value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
            }
            Huffman ac = acTables[c.acTable];
            int[] skips = ac.skip;
            int[] runs = ac.runs;
            // The bit buffer in locals for this loop, the hottest of the decoder: the fields go back and forth
            // only around a refill or a long code.
            long buffer = bits;
            int count = bitCount;
            for (int k = 1; k < BLOCK_COEFFICIENTS; k++) {
                // 33 bits buffered cover the longest code (16) and its extra bits (15).
                if (count <= 32) {
                    bitCount = count;
                    fill();
                    buffer = bits;
                    count = bitCount;
                }
                // Most codes are short: several codes and values skipped in one table step, if the block has
                // room for the coefficients they advance (an end of block needs one more).
                int run = runs[(int) (buffer >>> (count - RUN_BITS)) & ((1 << RUN_BITS) - 1)];
                if (run != 0 && k + (run >>> 8) <= BLOCK_COEFFICIENTS) {
                    count -= run & 0x7f;
                    if ((run & 0x80) != 0) {
                        break; // end of block
                    }
                    k += (run >>> 8) - 1;
                    continue;
                }
                // Else one code and value in one table step.
                int skip = skips[(int) (buffer >>> (count - LOOKUP_BITS)) & ((1 << LOOKUP_BITS) - 1)];
                if (skip != 0) {
                    count -= skip & 0xff;
                    if (skip >>> 8 == 0) {
                        break; // end of block
                    }
                    k += (skip >>> 8) - 1;
                    continue;
                }
                bitCount = count;
                int rs = decode(ac);
                count = bitCount;
                int acSize = rs & 15;
                if (acSize == 0) {
                    if (rs != 0xf0) {
                        break; // end of block
                    }
                    k += 15;
                } else {
                    k += rs >> 4;
                    count -= acSize;
                }
            }
            bitCount = count;
            return c.prediction * c.dcQuant;
        }

        /** The next Huffman symbol; at least 16 bits must be buffered. */
        private int decode(Huffman table) {
            int peek = (int) (bits >>> (bitCount - LOOKUP_BITS)) & ((1 << LOOKUP_BITS) - 1);
            int entry = table.lookup[peek];
            if (entry != 0) {
                bitCount -= entry >> 8;
                return entry & 0xff;
            }
            int length = LOOKUP_BITS + 1;
            int code = (int) (bits >>> (bitCount - length)) & ((1 << length) - 1);
            while (code > table.maxCode[length]) {
                length++;
                if (length > 16) {
                    throw unsupported();
                }
                code = (int) (bits >>> (bitCount - length)) & ((1 << length) - 1);
            }
            bitCount -= length;
            int index = table.valueOffset[length] + code;
            if (index < 0 || index >= table.symbols.length) {
                throw unsupported();
            }
            return table.symbols[index];
        }

        /** At least 33 bits buffered; from a marker or the end of the array on, zero bits are fed. */
        private void fill() {
            if (bitCount > 32) {
                return;
            }
            // Most of the time the next four bytes are plain data (no 0xff, which starts a stuffed byte or a
            // marker): taken in one step instead of one byte per loop turn.
            int at = position;
            if (!markerHit && at + 4 <= data.length) {
                int b0 = data[at] & 0xff;
                int b1 = data[at + 1] & 0xff;
                int b2 = data[at + 2] & 0xff;
                int b3 = data[at + 3] & 0xff;
                if (b0 != 0xff && b1 != 0xff && b2 != 0xff && b3 != 0xff) {
                    bits = bits << 32 | (long) (b0 << 24 | b1 << 16 | b2 << 8 | b3) & 0xffffffffL;
                    bitCount += 32;
                    position = at + 4;
                    if (bitCount > 32) {
                        return;
                    }
                }
            }
            while (bitCount <= 56) {
                int b = 0;
                if (!markerHit && position < data.length && (data[position] != (byte) 0xff
                        || position + 1 < data.length && data[position + 1] == 0)) {
                    b = data[position] & 0xff;
                    // A 0xff in the data is followed by a stuffed zero byte.
                    position += b == 0xff ? 2 : 1;
                } else {
                    markerHit = true;
                    padBits += 8;
                }
                bits = bits << 8 | b;
                bitCount += 8;
            }
        }

        /**
         * The 1/8 picture: a block's pixels average to DC / 8 + 128 (libjpeg's 1x1 inverse DCT, rounded); chroma
         * blocks covering several luma blocks are repeated over them; libjpeg's fixed-point YCbCr to RGB.
         */
        private BufferedImage image() {
            if (scans == 0) {
                throw unsupported();
            }
            for (Component c : components) {
                if (!c.scanned) {
                    throw unsupported();
                }
            }
            int outWidth = (width + SCALE - 1) / SCALE;
            int outHeight = (height + SCALE - 1) / SCALE;
            BufferedImage image = new BufferedImage(outWidth, outHeight, BufferedImage.TYPE_INT_RGB);
            int[] out = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
            int count = components.length;
            // Where each output column and row falls in each component's blocks, worked out once rather than
            // with two divisions per sample.
            int[][] columns = new int[count][outWidth];
            for (int i = 0; i < count; i++) {
                for (int x = 0; x < outWidth; x++) {
                    columns[i][x] = x * components[i].h / maxH;
                }
            }
            int[] rows = new int[count];
            for (int y = 0; y < outHeight; y++) {
                for (int i = 0; i < count; i++) {
                    rows[i] = y * components[i].v / maxV * components[i].blocksWide;
                }
                int[] lumaDc = components[0].dc;
                int[] lumaColumns = columns[0];
                int at = y * outWidth;
                if (count == 1) {
                    for (int x = 0; x < outWidth; x++) {
                        int yy = sample(lumaDc[rows[0] + lumaColumns[x]]);
                        out[at + x] = yy << 16 | yy << 8 | yy;
                    }
                    continue;
                }
                int[] cbDc = components[1].dc;
                int[] crDc = components[2].dc;
                for (int x = 0; x < outWidth; x++) {
                    int yy = sample(lumaDc[rows[0] + lumaColumns[x]]);
                    int cb = sample(cbDc[rows[1] + columns[1][x]]) - CENTRE;
                    int cr = sample(crDc[rows[2] + columns[2][x]]) - CENTRE;
                    int r = clamp(yy + ((CR_TO_R * cr + HALF) >> FIX_SHIFT));
                    int g = clamp(yy + ((-CB_TO_G * cb - CR_TO_G * cr + HALF) >> FIX_SHIFT));
                    int b = clamp(yy + ((CB_TO_B * cb + HALF) >> FIX_SHIFT));
                    out[at + x] = r << 16 | g << 8 | b;
                }
            }
            return image;
        }

        /** A block's dequantised DC coefficient as a sample 0..255. */
        private static int sample(int dc) {
            return clamp(((dc + 4) >> 3) + CENTRE);
        }

        private static int clamp(int value) {
            return value < 0 ? 0 : Math.min(value, 255);
        }

        private static long ceilDiv(long a, long b) {
            return (a + b - 1) / b;
        }

        private int u8() {
            return data[position++] & 0xff;
        }

        private int u16() {
            int value = (data[position] & 0xff) << 8 | data[position + 1] & 0xff;
            position += 2;
            return value;
        }
    }
}
