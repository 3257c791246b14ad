package com.catvsnoncat.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 exchange over a plain socket, as a hostile client sends it: any method, any header, a body sent all at
 * once, slowly, or never finished. The body is written on its own thread while the answer is read, so an answer the
 * server gives before the body is all sent (413 from Content-Length, 408 for a trickle) is seen, not lost to a reset.
 */
final class RawExchange {
    /** Writers of request bodies; daemon threads, so a stuck writer never holds the test JVM. */
    private static final ExecutorService WRITERS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "raw-exchange-writer");
        thread.setDaemon(true);
        return thread;
    });
    /** No answer at all: the connection closed first. */
    static final int CLOSED = -1;
    /** No answer within the time allowed. */
    static final int SILENT = 0;

    /** Writes what follows the request head. */
    interface Sender {
        void send(OutputStream out) throws IOException, InterruptedException;
    }

    /**
     * @param status the answer's status, {@link #CLOSED} or {@link #SILENT}
     * @param head   the status line and headers as received
     * @param millis from the first byte sent to the end of the answer's head
     */
    record Answer(int status, String head, long millis) {
    }

    private RawExchange() {
    }

    static Sender bytes(byte[] body) {
        return out -> out.write(body);
    }

    /** The body in pieces of {@code piece} bytes with a pause between them, until all is sent or the socket closes. */
    static Sender trickle(byte[] body, int piece, long pauseMs) {
        return out -> {
            for (int offset = 0; offset < body.length; offset += piece) {
                out.write(body, offset, Math.min(piece, body.length - offset));
                out.flush();
                Thread.sleep(pauseMs);
            }
        };
    }

    static Answer exchange(int port, String head, Sender body, long timeoutMs) throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) timeoutMs);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            WRITERS.execute(() -> {
                try {
                    body.send(out);
                    out.flush();
                } catch (IOException | InterruptedException stoppedByTheServerOrTheTest) {
                    // The server answered and closed, or the test is done with this exchange.
                }
            });
            String answer = readHead(socket.getInputStream());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (answer == null) {
                return new Answer(CLOSED, "", millis);
            }
            return new Answer(Integer.parseInt(answer.substring(9, 12)), answer, millis);
        } catch (SocketTimeoutException e) {
            return new Answer(SILENT, "", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (IOException e) {
            // Reset by the server before any answer arrived.
            return new Answer(CLOSED, e.getMessage(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }

    /** The head of the first final answer (a 100 Continue is skipped), or null if the connection ends first. */
    private static String readHead(InputStream in) throws IOException {
        while (true) {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            int next;
            while (matched < 4 && (next = in.read()) >= 0) {
                head.write(next);
                matched = next == "\r\n\r\n".charAt(matched) ? matched + 1 : next == '\r' ? 1 : 0;
            }
            if (matched < 4) {
                return null;
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/1.1 100")) {
                return text;
            }
        }
    }
}
