package com.catvsnoncat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Slow or stalled clients cannot hold connections: the idle timeout closes them. */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class IdleConnectionsTest {
    private static final int CONNECTIONS = 100;

    @Test
    void closesAHundredConnectionsThatStallHalfwayThroughTheirRequest(Vertx vertx) {
        GatewayHarness gateway = GatewayHarness.start(vertx,
                new JsonObject().put("http", new JsonObject().put("idleTimeoutSeconds", 1)));
        NetClient client = vertx.createNetClient();
        long start = System.nanoTime();

        List<Future<Void>> closed = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            closed.add(client.connect(gateway.port, "127.0.0.1").compose(socket -> {
                Promise<Void> gone = Promise.promise();
                socket.closeHandler(v -> gone.complete());
                socket.write("POST /api/classify HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n");
                return gone.future();
            }));
        }
        Future.all(closed).await();
        double seconds = (System.nanoTime() - start) / 1e9;

        System.out.printf("idle timeout: %d stalled connections closed by the server after %.1f s%n", CONNECTIONS,
                seconds);
        assertThat(closed).allSatisfy(connection -> assertThat(connection.succeeded()).isTrue());
    }
}
