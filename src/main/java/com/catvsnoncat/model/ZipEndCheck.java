package com.catvsnoncat.model;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.ZipException;

/**
 * Passes a zip stream through and keeps its last bytes. {@link java.util.zip.ZipInputStream} stops at the central
 * directory and never looks at the end record, so a file cut inside its central directory would otherwise pass;
 * this finds the end-of-central-directory record and checks its entry count. Closing it leaves the source open.
 */
final class ZipEndCheck extends FilterInputStream {
    private static final int END_RECORD_SIZE = 22;
    private static final int END_RECORD_SIGNATURE = 0x06054b50;
    private static final int KEEP = END_RECORD_SIZE + 0xffff; // the record plus the longest possible comment
    private static final long MAX_TRAILER_BYTES = 16L << 20;

    private final byte[] ring = new byte[KEEP];
    private long total;

    ZipEndCheck(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            ring[(int) (total++ % KEEP)] = (byte) b;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            keep(b, off, n);
        }
        return n;
    }

    private void keep(byte[] b, int off, int n) {
        if (n > KEEP) {
            total += n - KEEP;
            off += n - KEEP;
            n = KEEP;
        }
        int at = (int) (total % KEEP);
        int first = Math.min(n, KEEP - at);
        System.arraycopy(b, off, ring, at, first);
        System.arraycopy(b, off + first, ring, 0, n - first);
        total += n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must pass through the ring too.
        return Math.max(0, read(new byte[(int) Math.min(n, 8192)]));
    }

    @Override
    public void close() {
        // The caller owns the source stream.
    }

    /**
     * Reads the rest of the stream (the central directory) and checks that it ends with an end record
     * listing {@code entries} entries.
     */
    void checkEnd(int entries) throws IOException {
        byte[] skip = new byte[8192];
        long trailer = 0;
        for (int n; (n = read(skip, 0, skip.length)) > 0; ) {
            trailer += n;
            if (trailer > MAX_TRAILER_BYTES) {
                throw new ZipException("more than " + MAX_TRAILER_BYTES + " bytes after the last entry");
            }
        }
        int kept = (int) Math.min(total, KEEP);
        ByteBuffer tail = ByteBuffer.allocate(kept).order(ByteOrder.LITTLE_ENDIAN);
        int start = (int) ((total - kept) % KEEP);
        tail.put(ring, start, Math.min(kept, KEEP - start)).put(ring, 0, kept - Math.min(kept, KEEP - start));
        for (int at = kept - END_RECORD_SIZE; at >= 0; at--) {
            if (tail.getInt(at) == END_RECORD_SIGNATURE
                    && at + END_RECORD_SIZE + Short.toUnsignedInt(tail.getShort(at + 20)) == kept) {
                int listed = Short.toUnsignedInt(tail.getShort(at + 10));
                // 0xffff means the count is in a zip64 record instead.
                if (listed != 0xffff && listed != entries) {
                    throw new ZipException("the central directory lists " + listed + " entries but " + entries + " were found");
                }
                return;
            }
        }
        throw new ZipException("no end of central directory record");
    }
}
