package com.catvsnoncat.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * A gRPC request message as it came (identity) or inflated (gzip, the one compression gRPC clients use), never
 * inflated past the message size limit: a few KB of gzip can stand for gigabytes.
 */
final class GrpcMessages {
    private static final String IDENTITY = "identity";
    private static final String GZIP = "gzip";
    private static final int CHUNK = 64 * 1024;

    private GrpcMessages() {
    }

    /**
     * Whether the message is gzip, to be {@link #inflated}; false when it came as it is.
     *
     * @throws StatusException UNIMPLEMENTED for any other compression
     */
    static boolean isCompressed(GrpcMessage message) {
        String encoding = message.encoding();
        if (encoding == null || IDENTITY.equals(encoding)) {
            return false;
        }
        if (!GZIP.equals(encoding)) {
            throw new StatusException(GrpcStatus.UNIMPLEMENTED, "messages compressed as \""
                    + RequestLogging.printable(encoding) + "\" are not accepted; send them uncompressed or as gzip");
        }
        return true;
    }

    /**
     * The gzip message inflated, checked against {@code maxBytes} as it grows. Blocking: its cost grows with the
     * inflated size.
     *
     * @throws StatusException RESOURCE_EXHAUSTED past {@code maxBytes}, INVALID_ARGUMENT for what is not gzip
     */
    static GrpcMessage inflated(GrpcMessage message, long maxBytes) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(message.payload().getBytes()))) {
            Buffer inflated = Buffer.buffer();
            byte[] chunk = new byte[CHUNK];
            for (int read = in.read(chunk); read >= 0; read = in.read(chunk)) {
                if (inflated.length() + (long) read > maxBytes) {
                    throw new StatusException(GrpcStatus.RESOURCE_EXHAUSTED, "the request message is larger than "
                            + "the limit of " + ErrorResponses.readableSize(maxBytes) + " once inflated");
                }
                inflated.appendBytes(chunk, 0, read);
            }
            return GrpcMessage.message(IDENTITY, message.format(), inflated);
        } catch (IOException e) {
            throw new StatusException(GrpcStatus.INVALID_ARGUMENT, "the request message is not valid gzip");
        }
    }
}
