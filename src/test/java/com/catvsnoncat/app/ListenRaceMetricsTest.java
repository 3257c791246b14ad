package com.catvsnoncat.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.impl.NetServerImpl;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection accepted in the moment after a server starts listening and before Vert.x has created its metrics
 * still gets its requests answered ({@link ListenRaceMetrics}).
 */
class ListenRaceMetricsTest {
    private static final int ANSWER_TIMEOUT_MS = 10_000;

    private final Vertx vertx = MetricsVertx.create();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    /**
     * The race needs the acceptor to take a connection in before it runs the listener that creates the server's
     * metrics, which happens only when the listening thread is descheduled at the wrong moment. So the test puts the
     * server into exactly that state instead: the server's metrics are taken away while a connection is accepted and
     * set up, and put back before that connection's first request arrives.
     */
    @Test
    void answersARequestOnAConnectionAcceptedBeforeTheServersMetricsExisted() throws Exception {
        // A negative port: one shared server on a free port, which Vert.x registers where the test can find it.
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.response().end("answered"))
                .listen(-1, "127.0.0.1").await();
        NetServerImpl listening = (NetServerImpl) ((VertxInternal) vertx).sharedTcpServers().values().iterator().next();
        Field metricsField = NetServerImpl.class.getDeclaredField("metrics");
        metricsField.setAccessible(true);
        Object metrics;
        // NetServerImpl reads its metrics under its own lock.
        synchronized (listening) {
            metrics = metricsField.get(listening);
            metricsField.set(listening, null);
        }
        assertThat(metrics).isNotNull();

        try (Socket early = connect(server.actualPort()); Socket later = connect(server.actualPort())) {
            // The server has one event loop, which sets up connections in the order they were accepted: once the
            // later one is answered, the early one has been set up too, without metrics.
            assertThat(firstLineOfAnswer(later)).isEqualTo("HTTP/1.1 200 OK");
            synchronized (listening) {
                metricsField.set(listening, metrics);
            }

            assertThat(firstLineOfAnswer(early)).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    /** A method Vert.x adds to these interfaces later must be passed on too, not left to its do-nothing default. */
    @Test
    void passesOnEveryMethodOfTheMetricsInterfaces() {
        assertThat(undeclared(VertxMetrics.class, ListenRaceMetrics.class)).isEmpty();
        assertThat(undeclared(HttpServerMetrics.class, ListenRaceMetrics.ServerMetrics.class)).isEmpty();
    }

    private static String[] undeclared(Class<?> spi, Class<?> implementation) {
        return Arrays.stream(spi.getMethods()).filter(Method::isDefault)
                .filter(method -> {
                    try {
                        implementation.getDeclaredMethod(method.getName(), method.getParameterTypes());
                        return false;
                    } catch (NoSuchMethodException e) {
                        return true;
                    }
                })
                .map(Method::toString).toArray(String[]::new);
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(ANSWER_TIMEOUT_MS);
        return socket;
    }

    private static String firstLineOfAnswer(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /health/ready HTTP/1.1\r\nHost: localhost\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        try {
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1))
                    .readLine();
        } catch (SocketTimeoutException e) {
            return "no answer within " + ANSWER_TIMEOUT_MS + " ms";
        }
    }
}
