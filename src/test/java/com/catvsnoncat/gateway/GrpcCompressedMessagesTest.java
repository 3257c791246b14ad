package com.catvsnoncat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * gzip-compressed gRPC messages, sent frame by frame over one HTTP/2 connection as a client of the gateway's port
 * sends them: inflating them is work that grows with what they stand for, up to the size limit however small they
 * are on the wire, and it is done off the event loop, so the same connection's cheap calls are answered meanwhile;
 * one that inflates past the limit is refused.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class GrpcCompressedMessagesTest {
    private static final int BODY_LIMIT = 16 << 20;
    private static final int BOMBS = 24;
    private static final String SERVICE = "/inference.GRPCInferenceService/";

    @Test
    void gzipBombsAreRefusedOffTheEventLoopWhileACheapCallOnTheSameConnectionIsAnswered(Vertx vertx)
            throws IOException {
        GatewayHarness gateway = GatewayHarness.start(vertx, new JsonObject().put("http", new JsonObject()
                .put("bodyLimitBytes", BODY_LIMIT)));
        // 32 MiB of zeros, 32 KiB on the wire: each is inflated to the 16 MiB limit before it is refused.
        Buffer bomb = frame(true, gzippedZeros(32 << 20));
        HttpClient http2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false)); // one connection: HTTP/2 pools hold one per server by default
        AtomicInteger bombsAnswered = new AtomicInteger();
        List<Future<String>> bombs = new ArrayList<>();
        List<Future<Void>> sent = new ArrayList<>();
        for (int i = 0; i < BOMBS; i++) {
            Future<Call> call = call(http2, gateway.port, "ModelMetadata", true, bomb);
            sent.add(call.compose(Call::sent));
            bombs.add(call.compose(Call::status).andThen(done -> bombsAnswered.incrementAndGet()));
        }
        Future.all(sent).await();

        int answeredBefore = call(http2, gateway.port, "ServerLive", false, frame(false, new byte[0]))
                .compose(live -> live.status().map(status -> {
                    assertThat(status).startsWith(Integer.toString(Status.Code.OK.value()));
                    return bombsAnswered.get();
                })).await();

        assertThat(answeredBefore).as("compressed calls answered before the cheap one sent after them")
                .isLessThan(BOMBS);
        for (Future<String> refused : bombs) {
            assertThat(refused.await()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value()
                    + " the request message is larger than the limit of 16 MiB once inflated");
        }
    }

    /** A request on its way: written whole once {@code sent} completes; {@code status} is "code message". */
    private record Call(Future<Void> sent, Future<String> status) {
    }

    private static Future<Call> call(HttpClient http2, int port, String method, boolean gzip, Buffer frame) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI(SERVICE + method).putHeader("Content-Type", "application/grpc").putHeader("te", "trailers");
        if (gzip) {
            options.putHeader("grpc-encoding", "gzip");
        }
        return http2.request(options).map(request -> new Call(request.end(frame),
                request.response().compose(response -> response.end().map(ended -> status(response)))));
    }

    /** grpc-status and grpc-message, from the trailers or, for an answer of trailers only, the headers. */
    private static String status(HttpClientResponse response) {
        String status = response.getHeader("grpc-status") != null ? response.getHeader("grpc-status")
                : response.getTrailer("grpc-status");
        String message = response.getHeader("grpc-message") != null ? response.getHeader("grpc-message")
                : response.getTrailer("grpc-message");
        return message == null ? status : status + " " + URLDecoder.decode(message, StandardCharsets.UTF_8);
    }

    /** A gRPC length-prefixed message: the compressed flag, the length (big-endian), the bytes. */
    private static Buffer frame(boolean compressed, byte[] message) {
        return Buffer.buffer().appendByte((byte) (compressed ? 1 : 0)).appendInt(message.length).appendBytes(message);
    }

    private static byte[] gzippedZeros(int length) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 20];
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            for (int written = 0; written < length; written += chunk.length) {
                gzip.write(chunk);
            }
        }
        return out.toByteArray();
    }
}
