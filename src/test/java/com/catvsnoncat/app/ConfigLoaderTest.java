package com.catvsnoncat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Defaults < file < environment < system properties < command line, and the names that reach each key. */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class ConfigLoaderTest {
    @TempDir
    Path dir;

    private JsonObject load(Vertx vertx, Optional<Path> file, Map<String, String> env, Map<String, String> props,
                            JsonObject overrides) {
        return ConfigLoader.load(vertx, new ConfigLoader.Sources(file, env, props, overrides)).await();
    }

    private Path file(String json) throws Exception {
        return Files.writeString(dir.resolve("config.json"), json);
    }

    private static int port(JsonObject config) {
        return config.getJsonObject("http").getInteger("port");
    }

    @Test
    void startsFromTheDefaultsInTheJar(Vertx vertx) {
        JsonObject config = load(vertx, Optional.empty(), Map.of(), Map.of(), new JsonObject());

        assertThat(config).isEqualTo(ConfigLoader.defaults());
        assertThat(port(config)).isEqualTo(8080);
    }

    @Test
    void eachSourceOverridesTheOneBefore(Vertx vertx) throws Exception {
        Path file = file("{\"http\": {\"port\": 9001}}");
        Map<String, String> env = Map.of("CATVSNONCAT_HTTP_PORT", "9002");
        Map<String, String> props = Map.of("catvsnoncat.http.port", "9003");
        JsonObject cli = new JsonObject().put("http", new JsonObject().put("port", 9004));

        assertThat(port(load(vertx, Optional.of(file), Map.of(), Map.of(), new JsonObject()))).isEqualTo(9001);
        assertThat(port(load(vertx, Optional.of(file), env, Map.of(), new JsonObject()))).isEqualTo(9002);
        assertThat(port(load(vertx, Optional.of(file), env, props, new JsonObject()))).isEqualTo(9003);
        assertThat(port(load(vertx, Optional.of(file), env, props, cli))).isEqualTo(9004);
    }

    @Test
    void mergesObjectsKeyByKey(Vertx vertx) throws Exception {
        JsonObject config = load(vertx, Optional.of(file("{\"http\": {\"port\": 9001}}")), Map.of(), Map.of(),
                new JsonObject());

        assertThat(config.getJsonObject("http").getString("host")).isEqualTo("0.0.0.0");
        assertThat(config.getJsonObject("classifier")).isEqualTo(ConfigLoader.defaults().getJsonObject("classifier"));
    }

    @Test
    void namesCamelCaseAndNestedKeysInEnvironmentVariables(Vertx vertx) {
        JsonObject config = load(vertx, Optional.empty(), Map.of(
                "CATVSNONCAT_CLASSIFIER_MODEL_PATH", "/models/m.npz",
                "CATVSNONCAT_CLASSIFIER_FETCH_TIMEOUT_MS", "1234",
                "CATVSNONCAT_HTTP_COMPRESSION", "false",
                "CATVSNONCAT_HTTP_CORS_ALLOWED_ORIGINS", "[\"https://a.example\"]",
                "CATVSNONCAT_ADMIN_TOKEN", "t0k3n",
                "PATH", "/usr/bin"), Map.of(), new JsonObject());

        assertThat(config.getJsonObject("classifier").getString("modelPath")).isEqualTo("/models/m.npz");
        assertThat(config.getJsonObject("classifier").getJsonObject("fetch").getLong("timeoutMs")).isEqualTo(1234);
        assertThat(config.getJsonObject("http").getBoolean("compression")).isFalse();
        assertThat(config.getJsonObject("http").getJsonArray("corsAllowedOrigins"))
                .isEqualTo(new JsonArray().add("https://a.example"));
        assertThat(config.getJsonObject("admin").getString("token")).isEqualTo("t0k3n");
        assertThat(config.containsKey("PATH")).isFalse();
    }

    @Test
    void namesKeysInSystemPropertiesAsInTheFileIgnoringCase(Vertx vertx) {
        JsonObject config = load(vertx, Optional.empty(), Map.of(), Map.of(
                "catvsnoncat.classifier.modelpath", "/models/m.npz",
                "catvsnoncat.dataset", "/somewhere/else",
                "java.version", "17"), new JsonObject());

        assertThat(config.getJsonObject("classifier").getString("modelPath")).isEqualTo("/models/m.npz");
        assertThat(config.containsKey("dataset")).isFalse();
    }

    @Test
    void refusesAnEnvironmentVariableThatNamesNoKey(Vertx vertx) {
        assertThatThrownBy(() -> load(vertx, Optional.empty(), Map.of("CATVSNONCAT_HTTP_PROT", "9000"), Map.of(),
                new JsonObject())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CATVSNONCAT_HTTP_PROT").hasMessageContaining("CATVSNONCAT_HTTP_PORT");
    }

    @Test
    void refusesAValueOfTheWrongType(Vertx vertx) {
        assertThatThrownBy(() -> load(vertx, Optional.empty(), Map.of("CATVSNONCAT_HTTP_PORT", "eighty"), Map.of(),
                new JsonObject())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CATVSNONCAT_HTTP_PORT").hasMessageContaining("eighty");
        assertThatThrownBy(() -> load(vertx, Optional.empty(), Map.of(), Map.of("catvsnoncat.http.compression",
                "yes"), new JsonObject())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("true or false");
    }

    @Test
    void refusesAMissingOrBrokenFileNamingIt(Vertx vertx) throws Exception {
        Path missing = dir.resolve("missing.json");
        Path broken = file("{\"http\": ");

        assertThatThrownBy(() -> load(vertx, Optional.of(missing), Map.of(), Map.of(), new JsonObject()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read the configuration file " + missing + ": no such file");
        assertThatThrownBy(() -> load(vertx, Optional.of(broken), Map.of(), Map.of(), new JsonObject()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot read the configuration file " + broken + ": not valid JSON (line 1");
    }

    @Test
    void refusesAFileThatHoldsSomethingOtherThanAnObject(Vertx vertx) throws Exception {
        Path array = file("[{\"http\": {\"port\": 1}}]");

        assertThatThrownBy(() -> load(vertx, Optional.of(array), Map.of(), Map.of(), new JsonObject()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read the configuration file " + array
                        + ": the file must hold one JSON object, found JsonArray");
    }

    @Test
    void spellsEnvironmentNamesInUpperSnakeCase() {
        assertThat(EnvironmentOverrides.envName(List.of("http", "port"))).isEqualTo("CATVSNONCAT_HTTP_PORT");
        assertThat(EnvironmentOverrides.envName(List.of("weather", "openWeatherMap", "apiKey")))
                .isEqualTo("CATVSNONCAT_WEATHER_OPEN_WEATHER_MAP_API_KEY");
    }
}
