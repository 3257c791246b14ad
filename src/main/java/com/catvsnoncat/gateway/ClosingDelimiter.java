package com.catvsnoncat.gateway;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Watches a multipart body go by for its closing delimiter ({@code --boundary--}), which the multipart decoder does
 * not report: a form cut before it still ends as a request, with its last part never finished, and without this the
 * request would wait for that part until the idle timeout. Holds only the last few bytes between chunks.
 */
final class ClosingDelimiter {
    private final byte[] delimiter;
    private byte[] tail = new byte[0];
    private boolean seen;

    /** @param contentType the request's Content-Type, whose boundary parameter names the delimiter */
    ClosingDelimiter(String contentType) {
        this.delimiter = ("--" + boundary(contentType) + "--").getBytes(StandardCharsets.ISO_8859_1);
    }

    void feed(Buffer chunk) {
        if (seen) {
            return;
        }
        byte[] bytes = chunk.getBytes();
        byte[] window = new byte[tail.length + bytes.length];
        System.arraycopy(tail, 0, window, 0, tail.length);
        System.arraycopy(bytes, 0, window, tail.length, bytes.length);
        seen = indexOf(window) >= 0;
        int keep = Math.min(window.length, delimiter.length - 1);
        tail = Arrays.copyOfRange(window, window.length - keep, window.length);
    }

    boolean seen() {
        return seen;
    }

    private int indexOf(byte[] window) {
        outer:
        for (int i = 0; i + delimiter.length <= window.length; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (window[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The boundary parameter, unquoted; empty when there is none (the decoder refuses such a form itself). */
    static String boundary(String contentType) {
        if (contentType == null) {
            return "";
        }
        for (String parameter : contentType.split(";")) {
            String trimmed = parameter.trim();
            if (trimmed.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String value = trimmed.substring("boundary=".length()).trim();
                return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                        ? value.substring(1, value.length() - 1) : value;
            }
        }
        return "";
    }
}
