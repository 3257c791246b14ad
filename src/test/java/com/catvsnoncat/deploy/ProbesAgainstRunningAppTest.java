package com.catvsnoncat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.app.Application;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Starts the real application with each overlay's configuration (its ConfigMap file and its container's
 * environment) and asks every health path the cluster will ask: the startup, readiness and liveness probes, and the
 * load balancer's health check. Each must answer 200 once the app is up.
 */
class ProbesAgainstRunningAppTest {
    private static final String EMBEDDED_MODEL = "model/default.npz";
    /** JVM start, model load and warm-up on a slow CI machine. */
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    /** What readiness answers until the model is loaded and warmed up. */
    private static final int STARTING = 503;
    private static final String API_KEYS_FILE_VARIABLE = "CATVSNONCAT_AUTH_API_KEYS_FILE";
    private static final String HEALTH_CHECK_ANNOTATION = "alb.ingress.kubernetes.io/healthcheck-path";

    @TempDir
    Path workDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Vertx vertx;

    @AfterEach
    void closeVertx() {
        if (vertx != null) {
            vertx.close().await();
        }
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void everyHealthPathTheClusterAsksAnswers200(Overlay overlay) throws Exception {
        Rendered rendered = overlay.render();
        Container app = rendered.app();
        Set<String> paths = new LinkedHashSet<>();
        Stream.of(app.getStartupProbe(), app.getReadinessProbe(), app.getLivenessProbe())
                .map(OverlayChecks::probePath).forEach(paths::add);
        Optional.ofNullable(rendered.one(Ingress.class).getMetadata().getAnnotations())
                .map(annotations -> annotations.get(HEALTH_CHECK_ANNOTATION)).ifPresent(paths::add);

        vertx = Vertx.vertx();
        Application application = Application.start(vertx, AppConfiguration.sources(rendered,
                environmentWithLocalModel(rendered), workDir, testServer())).await();

        for (String path : paths) {
            assertThat(statusWithin(application.port(), path, READY_WITHIN)).as("GET %s", path).isEqualTo(200);
        }
        assertThat(paths).contains(OverlayChecks.LIVE_PATH, OverlayChecks.READY_PATH);
        if (rendered.appEnvironment().containsKey(API_KEYS_FILE_VARIABLE)) {
            // Keys are on, and the probes above got through without one.
            assertThat(statusWithin(application.port(), "/api/model", READY_WITHIN)).as("GET /api/model without a key")
                    .isEqualTo(401);
        }
    }

    /**
     * The container's environment, with a model path pointing at a copy of the embedded model (in the pod an init
     * container puts a model there) and the API keys file at a copy of the rendered Secret's.
     */
    private Map<String, String> environmentWithLocalModel(Rendered rendered) throws IOException {
        Map<String, String> environment = new LinkedHashMap<>(rendered.appEnvironment());
        if (environment.containsKey(OverlayChecks.MODEL_PATH_VARIABLE)) {
            Path model = workDir.resolve("model.npz");
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(EMBEDDED_MODEL)) {
                assertThat(in).as(EMBEDDED_MODEL).isNotNull();
                Files.copy(in, model);
            }
            environment.put(OverlayChecks.MODEL_PATH_VARIABLE, model.toString());
        }
        String keysFile = environment.get(API_KEYS_FILE_VARIABLE);
        if (keysFile != null) {
            Path copy = workDir.resolve("api-keys.json");
            Files.writeString(copy, rendered.appSecretFile(keysFile).orElseThrow(() -> new AssertionError(
                    keysFile + " is on no Secret volume")));
            environment.put(API_KEYS_FILE_VARIABLE, copy.toString());
        }
        return environment;
    }

    /**
     * A free port on the loopback interface instead of 8080 on every interface; the log format of this test JVM is
     * kept (the pods log JSON).
     */
    private static JsonObject testServer() {
        return new JsonObject()
                .put("http", new JsonObject().put("port", 0).put("host", "127.0.0.1"))
                .put("logging", new JsonObject().putNull("format").putNull("level"));
    }

    /**
     * Polls while the app is starting (no answer yet, or 503 while it warms up) until the path answers or the time
     * is up; the status (-1 if it never answered). Any other status is final: a 404 will not turn into a 200.
     */
    private int statusWithin(int port, String path, Duration within) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + within.toNanos();
        int status = -1;
        while (System.nanoTime() < deadline) {
            try {
                status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status != STARTING) {
                    return status;
                }
            } catch (IOException e) {
                status = -1;
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        return status;
    }
}
