package com.catvsnoncat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.catvsnoncat.classifier.ClassifierApi;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Stopping the gateway lets the request in flight finish and takes no new connections. */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class GracefulShutdownTest {

    @Test
    void finishesTheRequestInFlightThenRefusesNewConnections(Vertx vertx) {
        Promise<Message<JsonObject>> arrived = Promise.promise();
        GatewayHarness gateway = GatewayHarness.start(vertx).serve(ClassifierApi.CLASSIFY, arrived::tryComplete);
        Future<HttpResponse<Buffer>> inFlight = gateway.post("/api/classify").putHeader("Content-Type", "image/png")
                .sendBuffer(Buffer.buffer(GatewayHarness.PICTURE));
        Message<JsonObject> request = arrived.future().await();

        Future<Void> stopping = vertx.undeploy(gateway.deploymentId);
        request.reply(GatewayHarness.prediction());

        assertThat(inFlight.await().statusCode()).isEqualTo(200);
        stopping.await();
        assertThatThrownBy(() -> WebClient.create(vertx).get(gateway.port, "127.0.0.1", "/health/live").send()
                .await()).hasMessageContaining("Connection refused");
    }
}
