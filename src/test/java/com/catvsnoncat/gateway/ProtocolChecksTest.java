package com.catvsnoncat.gateway;

import static com.catvsnoncat.testing.ErrorBodies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.catvsnoncat.classifier.ClassifierApi;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Requests wrong at the HTTP level, over raw sockets: the answers carry our JSON error and security headers, the
 * log stays quiet and unforgeable, the access log says what was really sent, and CORS refuses with 403.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class ProtocolChecksTest {
    private static final String CLASSIFY = "POST /api/classify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    /** Our own lines down to DEBUG, so the access log and the quiet protocol lines are seen too. */
    private final Logger ours = (Logger) LoggerFactory.getLogger("com.catvsnoncat");
    private Vertx vertx;

    @BeforeEach
    void capture(Vertx vertx) {
        this.vertx = vertx;
        log.start();
        root.addAppender(log);
        ours.setLevel(Level.DEBUG);
    }

    @AfterEach
    void release() {
        ours.setLevel(null);
        root.detachAppender(log);
    }

    /** Sends raw bytes and returns everything the server sent until it closed the connection or 10 s passed. */
    private String exchange(int port, String request) {
        NetSocket socket = vertx.createNetClient().connect(port, "127.0.0.1").await();
        StringBuilder answer = new StringBuilder();
        boolean[] closed = {false};
        socket.handler(data -> answer.append(data.toString()));
        socket.closeHandler(ignored -> closed[0] = true);
        socket.write(request);
        long deadline = System.currentTimeMillis() + 10_000;
        while (!closed[0] && System.currentTimeMillis() < deadline) {
            vertx.timer(20).await();
        }
        socket.close();
        return answer.toString();
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    @Test
    void answersRequestsNettyCannotParseWithOurErrorAndSecurityHeaders() {
        GatewayHarness gateway = GatewayHarness.start(vertx);

        String longLine = exchange(gateway.port, "GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        String largeHeaders = exchange(gateway.port, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9000)
                + "\r\n\r\n");
        String garbage = exchange(gateway.port, "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");

        // Netty gives up before it knows the version of an overlong line, and answers in HTTP/1.0.
        assertThat(longLine).startsWith("HTTP/1.0 414").contains("longer than 4096 bytes");
        assertThat(largeHeaders).startsWith("HTTP/1.1 431").contains("larger than 8192 bytes");
        assertThat(garbage).startsWith("HTTP/1.1 400").contains("not valid HTTP");
        for (String answer : List.of(longLine, largeHeaders, garbage)) {
            assertThat(lower(answer)).contains("content-security-policy: default-src 'self'",
                    "x-content-type-options: nosniff", "content-type: application/json", "{\"error\":");
        }
    }

    @Test
    void wantsExactlyOneHostOnHttp11() {
        GatewayHarness gateway = GatewayHarness.start(vertx);

        assertThat(exchange(gateway.port, "GET /health/live HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400")
                .contains("exactly one Host");
        assertThat(exchange(gateway.port, "GET /health/live HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"))
                .startsWith("HTTP/1.1 400").contains("exactly one Host");
        assertThat(exchange(gateway.port, "GET /health/live HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.0 200");
    }

    @Test
    void closesTheConnectionOfAChunkedRequestThatAlsoHasAContentLength() {
        GatewayHarness gateway = GatewayHarness.start(vertx)
                .reply(ClassifierApi.CLASSIFY, GatewayHarness.prediction());
        String body = "{\"url\":\"https://example.com/a.jpg\"}";

        String answer = exchange(gateway.port, CLASSIFY + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n"
                + "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
        assertThat(answer).as("the request pipelined behind it is refused, not served")
                .doesNotContain("\"live\"").contains("HTTP/1.1 400", "this connection is closing");
    }

    @Test
    void logsABrokenChunkInOneQuietLineWithoutAStack() {
        GatewayHarness gateway = GatewayHarness.start(vertx);

        for (int i = 0; i < 5; i++) {
            exchange(gateway.port, CLASSIFY + "Transfer-Encoding: chunked\r\n\r\nzz-not-hex\r\n{}\r\n0\r\n\r\n");
        }

        assertThat(log.list).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN)
                || event.getThrowableProxy() != null);
    }

    @Test
    void logsTheStatusSentOrAbortedAndNoControlCharacters() {
        GatewayHarness gateway = GatewayHarness.start(vertx).serve(ClassifierApi.CLASSIFY, message -> { });

        exchange(gateway.port, CLASSIFY + "Content-Length: 5\r\n\r\n{\"a\":");
        NetSocket abandoned = vertx.createNetClient().connect(gateway.port, "127.0.0.1").await();
        String body = "{\"url\":\"https://example.com/a.jpg\"}";
        abandoned.write(CLASSIFY + "Content-Length: " + body.length() + "\r\n\r\n" + body);
        long deadline = System.currentTimeMillis() + 10_000;
        while (gateway.received.isEmpty() && System.currentTimeMillis() < deadline) {
            vertx.timer(20).await();
        }
        abandoned.close().await();
        exchange(gateway.port, "GET /x\u001b[31m\u0000y HTTP/1.1\r\nHost: x\r\n\r\n");
        exchange(gateway.port, "GET /%1b[2J HTTP/1.1\r\nHost: x\r\n\r\n");
        vertx.timer(300).await();

        List<String> access = log.list.stream().filter(event -> event.getLoggerName().endsWith("access"))
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(access).anyMatch(line -> line.startsWith("POST /api/classify 400 "))
                .anyMatch(line -> line.startsWith("POST /api/classify aborted "));
        assertThat(log.list).map(ILoggingEvent::getFormattedMessage)
                .noneMatch(line -> line.chars().anyMatch(c -> c < 0x20 && c != '\n' || c == 0x7f));
    }

    @Test
    void refusesOtherOriginsWith403AndLetsThePagesOwnOriginThrough() {
        GatewayHarness gateway = GatewayHarness.start(vertx, new JsonObject().put("http", new JsonObject()
                        .put("corsAllowedOrigins", new JsonArray().add("https://allowed.example"))))
                .reply(ClassifierApi.CLASSIFY, GatewayHarness.prediction());
        JsonObject url = new JsonObject().put("url", "https://example.com/a.jpg");
        String own = "http://127.0.0.1:" + gateway.port;

        var other = gateway.post("/api/classify").putHeader("Origin", "https://evil.example").sendJsonObject(url)
                .await();
        var preflight = gateway.client.request(io.vertx.core.http.HttpMethod.OPTIONS, gateway.port, "127.0.0.1",
                "/api/classify").putHeader("Origin", "https://evil.example")
                .putHeader("Access-Control-Request-Method", "POST").send().await();
        var same = gateway.post("/api/classify").putHeader("Origin", own).sendJsonObject(url).await();
        var allowed = gateway.post("/api/classify").putHeader("Origin", "https://allowed.example")
                .sendJsonObject(url).await();

        assertError(other, 403, "origin");
        assertThat(preflight.statusCode()).isEqualTo(403);
        assertThat(same.statusCode()).isEqualTo(200);
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://allowed.example");
        for (var response : List.of(other, preflight, same, allowed)) {
            assertThat(response.headers().getAll("Vary")).anyMatch(value -> value.contains("Origin"));
        }
    }
}
