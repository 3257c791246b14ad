package com.catvsnoncat.data;

import java.util.Objects;

/** Bytes that do not give a picture; {@link #kind()} says why, the message says it to a user. */
public class ImageDecodingException extends RuntimeException {

    /** Why decoding failed; each kind maps to one HTTP status in the service. */
    public enum Kind {
        /** No bytes at all (400). */
        EMPTY,
        /** Not JPEG, PNG, GIF, BMP, WebP or TIFF; HEIC and AVIF named as such (415). */
        UNSUPPORTED_FORMAT,
        /** A supported format, but truncated or damaged (422). */
        CORRUPT,
        /** More pixels than the configured limit (413). */
        TOO_LARGE
    }

    private final Kind kind;

    public ImageDecodingException(Kind kind, String message) {
        this(kind, message, null);
    }

    public ImageDecodingException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
