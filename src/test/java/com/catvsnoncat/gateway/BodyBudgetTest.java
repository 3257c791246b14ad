package com.catvsnoncat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.classifier.ClassifierApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Request bodies held at once are bounded across the process; beyond the budget the answer is 503 at once. */
@ExtendWith(VertxExtension.class)
class BodyBudgetTest {
    private static final int BUDGET = 1000;
    private static final Buffer BODY = Buffer.buffer(new byte[800]);

    @Test
    void refusesABodyBeyondTheBudgetWhileOthersAreHeldAndTakesItAgainOnceTheyAreAnswered(Vertx vertx) {
        CopyOnWriteArrayList<Message<JsonObject>> held = new CopyOnWriteArrayList<>();
        GatewayHarness gateway = GatewayHarness.start(vertx, new JsonObject()
                        .put("http", new JsonObject().put("bodyBudgetBytes", BUDGET).put("bodyLimitBytes", BUDGET)))
                .serve(ClassifierApi.CLASSIFY, held::add);

        Future<HttpResponse<Buffer>> first = send(gateway);
        waitFor(vertx, () -> held.size() == 1);
        HttpResponse<Buffer> refused = send(gateway).await();

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.getHeader("Retry-After")).isNotNull();
        assertThat(refused.bodyAsJsonObject().getString("error")).contains("too many request bodies");

        held.get(0).reply(GatewayHarness.prediction());
        assertThat(first.await().statusCode()).isEqualTo(200);
        Future<HttpResponse<Buffer>> third = send(gateway);
        waitFor(vertx, () -> held.size() == 2);
        held.get(1).reply(GatewayHarness.prediction());
        assertThat(third.await().statusCode()).isEqualTo(200);
    }

    @Test
    void answersATrickledBody408AndGivesItsReservationBack(Vertx vertx) {
        CopyOnWriteArrayList<Message<JsonObject>> held = new CopyOnWriteArrayList<>();
        GatewayHarness gateway = GatewayHarness.start(vertx, new JsonObject().put("http", new JsonObject()
                        .put("bodyBudgetBytes", BUDGET).put("bodyLimitBytes", BUDGET).put("bodyTimeoutMs", 1500)))
                .serve(ClassifierApi.CLASSIFY, message -> message.reply(GatewayHarness.prediction()));
        NetSocket socket = vertx.createNetClient().connect(gateway.port, "127.0.0.1").await();
        StringBuilder answer = new StringBuilder();
        socket.handler(data -> answer.append(data.toString()));
        socket.write("POST /api/classify HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 800\r\n\r\n");
        // One byte every 200 ms keeps the connection far from idle, and the body far from whole.
        long trickle = vertx.setPeriodic(200, id -> socket.write("x"));

        assertThat(send(gateway).await().statusCode()).as("budget held by the trickle").isEqualTo(503);
        waitFor(vertx, () -> answer.indexOf("\r\n\r\n") > 0);
        vertx.cancelTimer(trickle);

        assertThat(answer.toString()).startsWith("HTTP/1.1 408").contains("did not arrive whole within 1500 ms")
                .containsIgnoringCase("connection: close");
        assertThat(send(gateway).await().statusCode()).as("budget given back").isEqualTo(200);
    }

    @Test
    void answersABodyBelowTheMinimumRate408(Vertx vertx) {
        GatewayHarness gateway = GatewayHarness.start(vertx, new JsonObject().put("http", new JsonObject()
                .put("bodyMinBytesPerSecond", 1000)));
        NetSocket socket = vertx.createNetClient().connect(gateway.port, "127.0.0.1").await();
        StringBuilder answer = new StringBuilder();
        socket.handler(data -> answer.append(data.toString()));
        socket.write("POST /web/cat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 9000\r\n\r\n{");
        long trickle = vertx.setPeriodic(100, id -> socket.write(" "));
        waitFor(vertx, () -> answer.indexOf("\r\n\r\n") > 0);
        vertx.cancelTimer(trickle);

        assertThat(answer.toString()).startsWith("HTTP/1.1 408").contains("slower than 1000 bytes per second");
    }

    private static Future<HttpResponse<Buffer>> send(GatewayHarness gateway) {
        return gateway.post("/api/classify").putHeader("Content-Type", "image/png").sendBuffer(BODY);
    }

    private static void waitFor(Vertx vertx, java.util.function.BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("condition in time").isLessThan(deadline);
            vertx.timer(10).await();
        }
    }
}
