package com.catvsnoncat.gateway;

import com.catvsnoncat.app.ConfigLoader;
import com.catvsnoncat.classifier.ClassifierConfig;
import com.catvsnoncat.web.StaticContentVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import java.util.HexFormat;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A gateway on 127.0.0.1 and a free port, with the default configuration and any overrides, and fake services:
 * event-bus consumers the test registers on the classifier's and weather's addresses.
 */
final class GatewayHarness {
    /** A picture upload's body (PNG's first bytes); the fake classifier never decodes it. */
    static final byte[] PICTURE = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3, 4};
    /** The fake classifier's model reply. */
    static final JsonObject MODEL = new JsonObject().put("name", "catvnoncat").put("version", "7")
            .put("layers", new JsonArray().add(12288).add(20).add(7).add(5).add(1))
            .put("model", new JsonObject().put("name", "catvnoncat").put("version", "7"))
            .put("served", new JsonObject().put("name", "catvnoncat").put("version", "7"))
            .put("versions", new JsonArray().add("7"));

    final Vertx vertx;
    final WebClient client;
    final int port;
    final String deploymentId;
    /** Every message the fake services received, in order. */
    final CopyOnWriteArrayList<Message<JsonObject>> received = new CopyOnWriteArrayList<>();

    private GatewayHarness(Vertx vertx, int port, String deploymentId) {
        this.vertx = vertx;
        this.port = port;
        this.deploymentId = deploymentId;
        this.client = WebClient.create(vertx);
    }

    static GatewayHarness start(Vertx vertx) {
        return start(vertx, new JsonObject());
    }

    /** @param overrides merged over the defaults, e.g. {@code {"http": {"busTimeoutMs": 100}}} */
    static GatewayHarness start(Vertx vertx, JsonObject overrides) {
        JsonObject config = ConfigLoader.defaults()
                .mergeIn(new JsonObject().put("http", new JsonObject()
                        .put("host", "127.0.0.1").put("port", 0).put("instances", 1)), true)
                .mergeIn(overrides, true);
        String id = vertx.deployVerticle(() -> GatewayHarness.gateway(config), new DeploymentOptions().setConfig(config)).await();
        return new GatewayHarness(vertx, ServerState.of(vertx).port(), id);
    }

    /** A gateway instance as the application deploys it, from the whole configuration. */
    static GatewayVerticle gateway(JsonObject config) {
        return new GatewayVerticle(GatewayConfig.from(config), AccessConfig.from(config),
                ClassifierConfig.from(config).maxBatch(), null,
                new AtomicBoolean());
    }

    /** The fake classifier's answer to a picture. */
    static JsonObject prediction() {
        return new JsonObject().put("label", "cat").put("probability", 0.875)
                .put("model", new JsonObject().put("name", "catvnoncat").put("version", "7"))
                .put("timings", new JsonObject().put("fetchMs", 1.5).put("decodeMs", 2.25).put("inferMs", 0.5)
                        .put("totalMs", 4.25));
    }

    /** An API key as the configuration stores it. */
    static String sha256Hex(String text) {
        return HexFormat.of().formatHex(AccessControl.sha256(text));
    }

    /** Deploys the real static-content service beside the gateway, as the application does. */
    GatewayHarness withStaticContent() {
        vertx.deployVerticle(new StaticContentVerticle(), new DeploymentOptions().setConfig(ConfigLoader.defaults()))
                .await();
        return this;
    }

    /** Registers a fake service at {@code address}; it records each message and answers with {@code answer}. */
    GatewayHarness serve(String address, Consumer<Message<JsonObject>> answer) {
        vertx.eventBus().<JsonObject>consumer(address, message -> {
            received.add(message);
            answer.accept(message);
        }).completion().await();
        return this;
    }

    GatewayHarness reply(String address, JsonObject reply) {
        return serve(address, message -> message.reply(reply));
    }

    /** How many messages the fake services received. */
    int messageCount() {
        return received.size();
    }

    JsonObject lastMessage() {
        return received.get(received.size() - 1).body();
    }

    HttpRequest<Buffer> get(String path) {
        return client.get(port, "127.0.0.1", path);
    }

    HttpRequest<Buffer> post(String path) {
        return client.post(port, "127.0.0.1", path);
    }
}
