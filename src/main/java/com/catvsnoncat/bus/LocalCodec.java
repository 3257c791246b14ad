package com.catvsnoncat.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Delivers an immutable message object as it is, within this process. Vert.x's own codecs copy a body on every local
 * delivery (a {@link Buffer} or {@code JsonObject} is copied so sender and receiver cannot share mutable state); a
 * record of immutable fields and read-only buffers needs no copy. Never sent over a wire: the application is one
 * process, and this codec refuses to encode.
 *
 * @param <T> the message type, immutable
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {
    private final Class<T> type;

    private LocalCodec(Class<T> type) {
        this.type = type;
    }

    /**
     * Makes {@code type} travel by reference on this Vert.x instance's event bus. Both sides of a contract call it
     * (whichever starts first registers), so it may be called any number of times.
     */
    public static synchronized <T> void register(Vertx vertx, Class<T> type) {
        try {
            vertx.eventBus().registerDefaultCodec(type, new LocalCodec<>(type));
        } catch (IllegalStateException alreadyRegistered) {
            // Registered by the other side, or by an earlier instance: one codec per type is all that is needed.
        }
    }

    @Override
    public void encodeToWire(Buffer buffer, T message) {
        throw new UnsupportedOperationException(type.getName() + " is only delivered within the process");
    }

    @Override
    public T decodeFromWire(int position, Buffer buffer) {
        throw new UnsupportedOperationException(type.getName() + " is only delivered within the process");
    }

    @Override
    public T transform(T message) {
        return message;
    }

    @Override
    public String name() {
        return "local:" + type.getName();
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
