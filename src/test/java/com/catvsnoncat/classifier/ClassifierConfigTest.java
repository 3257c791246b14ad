package com.catvsnoncat.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifierConfigTest {

    @Test
    void takesTheDefaultsFileForMissingKeys() {
        ClassifierConfig config = ClassifierConfig.from(new JsonObject());
        assertThat(config.modelPath()).isEmpty();
        assertThat(config.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.maxQueued()).isEqualTo(64);
        assertThat(config.fetch()).isEqualTo(new ImageFetcher.Options(2000, 5000, 10 << 20, 3, false,
                List.of(80, 443), List.of(), 16));
    }

    @Test
    void readsItsSectionOfTheWholeConfigurationAndMergesNestedKeys() {
        ClassifierConfig config = ClassifierConfig.from(new JsonObject().put("classifier", new JsonObject()
                .put("modelPath", "/models/m.npz").put("workers", 3)
                .put("fetch", new JsonObject().put("allowLoopback", true))));
        assertThat(config.modelPath()).contains(Path.of("/models/m.npz"));
        assertThat(config.workers()).isEqualTo(3);
        assertThat(config.fetch().allowLoopback()).isTrue();
        assertThat(config.fetch().maxRedirects()).isEqualTo(3);
    }

    @Test
    void namesTheKeyThatIsWrong() {
        assertThatThrownBy(() -> ClassifierConfig.from(new JsonObject().put("maxQueued", -1)))
                .hasMessageContaining("maxQueued");
        assertThatThrownBy(() -> ClassifierConfig.from(new JsonObject().put("watchModel", true)))
                .hasMessageContaining("modelPath");
        assertThatThrownBy(() -> ClassifierConfig.from(new JsonObject().put("fetch", new JsonObject()
                .put("allowedPorts", new JsonArray().add(80).add(70000))))).hasMessageContaining("allowedPorts");
        assertThatThrownBy(() -> ClassifierConfig.from(new JsonObject().put("fetch", new JsonObject()
                .put("trustedHosts", new JsonArray().add(3))))).hasMessageContaining("trustedHosts");
    }

    @Test
    void readsTheRepositoryAndItsVersionPolicies() {
        ClassifierConfig config = ClassifierConfig.from(new JsonObject().put("repository", new JsonObject()
                .put("path", "/models").put("pollMs", 250).put("defaultModel", "alpha")
                .put("versionPolicies", new JsonObject().put("beta", new JsonObject().put("all", true)))));
        assertThat(config.repository().path()).contains(Path.of("/models"));
        assertThat(config.repository().pollMs()).isEqualTo(250);
        assertThat(config.repository().defaultModel()).isEqualTo("alpha");
        assertThat(config.repository().policyOf("alpha")).isEqualTo(VersionPolicy.LATEST_ONE);
        assertThat(config.repository().policyOf("beta").all()).isTrue();
        assertThat(ClassifierConfig.from(new JsonObject()).repository().path()).isEmpty();
    }

    @Test
    void refusesAFileAndARepositoryAtOnceAndABadDefaultModelName() {
        assertThatThrownBy(() -> ClassifierConfig.from(new JsonObject().put("modelPath", "/m.npz")
                .put("repository", new JsonObject().put("path", "/models")))).hasMessageContaining("not both");
        assertThatThrownBy(() -> ClassifierConfig.from(new JsonObject().put("repository", new JsonObject()
                .put("defaultModel", "../x")))).hasMessageContaining("repository.defaultModel");
        assertThatThrownBy(() -> ClassifierConfig.from(new JsonObject().put("repository", new JsonObject()
                .put("versionPolicy", new JsonObject().put("latest", 0))))).hasMessageContaining("versionPolicy");
    }
}
