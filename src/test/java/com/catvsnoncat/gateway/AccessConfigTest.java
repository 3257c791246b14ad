package com.catvsnoncat.gateway;

import static com.catvsnoncat.gateway.GatewayHarness.sha256Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.catvsnoncat.app.ConfigLoader;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "auth" section: off by default, keys from the configuration and from a mounted file, mistakes refused. */
class AccessConfigTest {
    @TempDir
    Path dir;

    private static AccessConfig from(JsonObject auth) {
        return AccessConfig.from(ConfigLoader.defaults().mergeIn(new JsonObject().put("auth", auth), true));
    }

    @Test
    void isOffByDefault() {
        AccessConfig access = AccessConfig.from(ConfigLoader.defaults());

        assertThat(access.apiKeysRequired()).isFalse();
        assertThat(access.metricsTokenHash()).isEmpty();
    }

    @Test
    void readsKeysFromTheConfigurationAndTheMountedFileTogether() throws IOException {
        Path file = Files.writeString(dir.resolve("api-keys.json"),
                new JsonObject().put("ci", sha256Hex("ci key")).encode());

        AccessConfig access = from(new JsonObject().put("apiKeys", new JsonObject().put("alice", sha256Hex("a")))
                .put("apiKeysFile", file.toString()));

        assertThat(access.apiKeys()).containsOnlyKeys("alice", "ci");
        assertThat(access.apiKeys().get("ci")).isEqualTo(AccessControl.sha256("ci key"));
    }

    @Test
    void refusesAKeyWhereItsHashBelongsWithoutRepeatingIt() {
        assertThatThrownBy(() -> from(new JsonObject().put("apiKeys", new JsonObject().put("alice", "hunter2"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auth config").hasMessageContaining("SHA-256").hasMessageNotContaining("hunter2");
    }

    @Test
    void refusesAnEmptyOrMissingOrMalformedKeysFile() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.json"), "{}");
        Path array = Files.writeString(dir.resolve("array.json"), "[]");

        assertThatThrownBy(() -> from(new JsonObject().put("apiKeysFile", empty.toString())))
                .hasMessageContaining("holds no keys");
        assertThatThrownBy(() -> from(new JsonObject().put("apiKeysFile", array.toString())))
                .hasMessageContaining("must hold a JSON object");
        assertThatThrownBy(() -> from(new JsonObject().put("apiKeysFile", dir.resolve("none.json").toString())))
                .hasMessageContaining("cannot read apiKeysFile");
    }

    @Test
    void refusesIdsThatCannotBeMetricLabelsAndTwoIdsForOneKey() {
        assertThatThrownBy(() -> from(new JsonObject().put("apiKeys", new JsonObject()
                .put("alice smith", sha256Hex("a"))))).hasMessageContaining("key id \"alice smith\"");
        assertThatThrownBy(() -> from(new JsonObject().put("apiKeys", new JsonObject()
                .put("alice", sha256Hex("a")).put("bob", sha256Hex("a"))))).hasMessageContaining("same key");
    }
}
