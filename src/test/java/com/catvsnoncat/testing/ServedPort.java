package com.catvsnoncat.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The port a {@code serve --port 0} process listens on, read from its "serving on http://host:PORT/" log line. The
 * kernel picks the port as the server binds it, so nothing can take it first: a port found free by opening and
 * closing a socket can be given to another process before the server binds it (seen once: "Address already in
 * use"), or worse, the test then talks to whatever took it.
 */
public final class ServedPort {
    private static final Pattern SERVING_ON = Pattern.compile("serving on https?://.*?:(\\d+)/");
    private static final long POLL_MS = 5;

    private ServedPort() {
    }

    /** The port in the log so far, if the server has logged it. */
    public static OptionalInt inLog(Path log) throws IOException {
        if (!Files.exists(log)) {
            return OptionalInt.empty();
        }
        // Bytes as Latin-1: the file is being written, and may end in the middle of a UTF-8 sequence.
        Matcher serving = SERVING_ON.matcher(new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1));
        return serving.find() ? OptionalInt.of(Integer.parseInt(serving.group(1))) : OptionalInt.empty();
    }

    /** Waits until the server logs its port; fails if it exits first or the deadline ({@link System#nanoTime}) passes. */
    public static int await(Process server, Path log, long deadlineNanos) throws IOException, InterruptedException {
        while (System.nanoTime() < deadlineNanos) {
            OptionalInt port = inLog(log);
            if (port.isPresent()) {
                return port.getAsInt();
            }
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited with " + server.exitValue()
                        + " before it listened; its output:\n" + Files.readString(log, StandardCharsets.ISO_8859_1));
            }
            Thread.sleep(POLL_MS);
        }
        throw new IllegalStateException("the server logged no port it listens on in time; see " + log);
    }
}
