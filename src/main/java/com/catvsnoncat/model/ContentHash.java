package com.catvsnoncat.model;

import com.catvsnoncat.nn.Network;
import com.catvsnoncat.nn.Standardizer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The identity of a model's parameters: "sha256:" and the hex SHA-256 of, for each array in the order
 * W1, b1, .., WL, bL and then (if standardised) input_mean, input_std, its values as little-endian float64
 * in C order. Shapes are not hashed; they are in the metadata's layers. In numpy:
 * {@code hashlib.sha256(b"".join(z[k].astype("<f8").tobytes() for k in order))}.
 */
public final class ContentHash {
    private static final int BUFFER_VALUES = 1024;

    private ContentHash() {
    }

    /** @param standardizer null if the model does not standardise its inputs */
    public static String of(Network network, Standardizer standardizer) {
        Hasher hasher = new Hasher();
        for (int layer = 1; layer <= network.depth(); layer++) {
            hasher.add(network.weight(layer));
            hasher.add(network.bias(layer));
        }
        if (standardizer != null) {
            hasher.add(standardizer.mean());
            hasher.add(standardizer.scale());
        }
        return "sha256:" + HexFormat.of().formatHex(hasher.finish());
    }

    private static final class Hasher {
        private final MessageDigest digest;
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_VALUES * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);

        Hasher() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform must provide SHA-256", e);
            }
        }

        void add(RealMatrix matrix) {
            for (double[] row : NpyArray.rowsOf(matrix)) {
                add(row);
            }
        }

        /** In bulk rather than value by value: at start-up this runs before the JIT has compiled anything. */
        void add(double[] values) {
            int offset = 0;
            while (offset < values.length) {
                if (!buffer.hasRemaining()) {
                    flush();
                }
                int count = Math.min(values.length - offset, buffer.remaining() / Double.BYTES);
                // A view's put stores raw bits, so -0.0 and NaN payloads hash as stored.
                buffer.asDoubleBuffer().put(values, offset, count);
                buffer.position(buffer.position() + count * Double.BYTES);
                offset += count;
            }
        }

        byte[] finish() {
            flush();
            return digest.digest();
        }

        private void flush() {
            digest.update(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
    }
}
