package com.catvsnoncat.gateway;

import static com.catvsnoncat.testing.ErrorBodies.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.classifier.ClassifierApi;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** POST /admin/reload: absent without a token, guarded by it otherwise. */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class AdminRoutesTest {
    private static final JsonObject RELOADED = new JsonObject().put("name", "catvnoncat").put("version", "8");

    private static GatewayHarness withToken(Vertx vertx, String token) {
        return GatewayHarness.start(vertx, new JsonObject().put("admin", new JsonObject().put("token", token)))
                .reply(ClassifierApi.RELOAD, RELOADED);
    }

    @Test
    void doesNotExistWithoutAToken(Vertx vertx) {
        GatewayHarness gateway = withToken(vertx, null);

        HttpResponse<Buffer> response = gateway.post("/admin/reload").putHeader("Authorization", "Bearer x")
                .send().await();

        assertError(response, 404, "/admin/reload");
        assertThat(gateway.received).isEmpty();
    }

    @Test
    void refusesAWrongOrMissingToken(Vertx vertx) {
        GatewayHarness gateway = withToken(vertx, "s3cret");

        HttpResponse<Buffer> wrong = gateway.post("/admin/reload").putHeader("Authorization", "Bearer s3cre")
                .send().await();
        HttpResponse<Buffer> missing = gateway.post("/admin/reload").send().await();

        assertError(wrong, 401, "token");
        assertThat(wrong.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
        assertError(missing, 401, "token");
        assertThat(gateway.received).isEmpty();
    }

    @Test
    void reloadsWithTheRightToken(Vertx vertx) {
        GatewayHarness gateway = withToken(vertx, "s3cret");

        HttpResponse<Buffer> response = gateway.post("/admin/reload").putHeader("Authorization", "Bearer s3cret")
                .sendJsonObject(new JsonObject().put("path", "/models/new.npz")).await();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsJsonObject()).isEqualTo(RELOADED);
        assertThat(gateway.lastMessage()).isEqualTo(new JsonObject().put("path", "/models/new.npz"));
    }

    @Test
    void reloadsTheConfiguredPathWhenTheBodyIsEmpty(Vertx vertx) {
        GatewayHarness gateway = withToken(vertx, "s3cret");

        HttpResponse<Buffer> response = gateway.post("/admin/reload").putHeader("Authorization", "Bearer s3cret")
                .send().await();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(gateway.lastMessage()).isEqualTo(new JsonObject());
    }

    @Test
    void reportsAModelThatDoesNotLoadAs422(Vertx vertx) {
        GatewayHarness gateway = GatewayHarness.start(vertx,
                        new JsonObject().put("admin", new JsonObject().put("token", "s3cret")))
                .serve(ClassifierApi.RELOAD, message -> message.fail(422, "not a model file"));

        HttpResponse<Buffer> response = gateway.post("/admin/reload").putHeader("Authorization", "Bearer s3cret")
                .send().await();

        assertError(response, 422, "not a model file");
    }

    @Test
    void comparesTokensExactly() {
        byte[] token = "s3cret".getBytes();
        assertThat(AdminRoutes.authorized("Bearer s3cret", token)).isTrue();
        assertThat(AdminRoutes.authorized("bearer s3cret", token)).isTrue();
        assertThat(AdminRoutes.authorized("Bearer s3cret2", token)).isFalse();
        assertThat(AdminRoutes.authorized("Basic s3cret", token)).isFalse();
        assertThat(AdminRoutes.authorized(null, token)).isFalse();
    }
}
