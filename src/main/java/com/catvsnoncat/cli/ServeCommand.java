package com.catvsnoncat.cli;

import com.catvsnoncat.app.Application;
import com.catvsnoncat.app.ConfigLoader;
import com.catvsnoncat.app.MetricsVertx;
import com.catvsnoncat.tracing.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.net.BindException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * Runs the service until SIGTERM or SIGINT, then stops gracefully (readiness fails at once, requests in flight
 * finish) and exits 0. Configuration: defaults, then {@code --config FILE}, environment, system properties, then
 * these options.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves the page, the HTTP API, the Open Inference Protocol and metrics (the default command).",
            "Configuration: config/defaults.json in the jar, then --config FILE, then CATVSNONCAT_* environment "
                + "variables, then -Dcatvsnoncat.* system properties, then the options below."})
public final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);
    private static final String WILDCARD = "0.0.0.0";

    @Option(names = "--port", paramLabel = "N", description = "HTTP port (http.port); 0 picks a free one.")
    private Integer port;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON configuration file over the defaults.")
    private Path config;

    @Option(names = "--model", paramLabel = "FILE",
            description = "Model file to serve (classifier.modelPath); the embedded model when absent.")
    private Path model;

    @Option(names = "--repository", paramLabel = "DIR", description = "Model repository to serve "
            + "(classifier.repository.path): DIR/<model name>/<version>/model.npz; the jar's models when absent.")
    private Path repository;

    @Override
    public Integer call() throws Exception {
        JsonObject configuration = ConfigLoader.read(
                ConfigLoader.Sources.ofProcess(Optional.ofNullable(config), overrides()));
        Optional<OpenTelemetrySdk> tracing = Tracing.fromConfig(configuration);
        Vertx vertx = MetricsVertx.create(new VertxOptions(), tracing.map(OpenTelemetry.class::cast));
        Application application;
        try {
            application = Application.start(vertx, configuration).await();
        } catch (Exception e) {
            vertx.close().await();
            tracing.ifPresent(OpenTelemetrySdk::close);
            throw startFailure(e);
        }
        JsonObject http = application.config().getJsonObject("http");
        String host = http.getString("host");
        LOG.info("catvsnoncat serving on http://{}:{}/", WILDCARD.equals(host) ? "localhost" : host,
                application.port());
        stopOnSignals().await();
        LOG.info("shutting down: finishing requests in flight (at most {} ms)", http.getValue("drainTimeoutMs"));
        // Two awaits, not close().eventually(vertx::close): that future completes on an event loop of the Vert.x
        // being closed, which may be gone by then, and the process would never exit.
        try {
            application.close().await();
        } finally {
            vertx.close().await();
            // Sends the spans still batched.
            tracing.ifPresent(OpenTelemetrySdk::close);
        }
        return 0;
    }

    private JsonObject overrides() {
        JsonObject overrides = new JsonObject();
        if (port != null) {
            overrides.put("http", new JsonObject().put("port", port));
        }
        if (model != null) {
            overrides.put("classifier", new JsonObject().put("modelPath", model.toString()));
        }
        if (repository != null) {
            overrides.put("classifier", overrides.getJsonObject("classifier", new JsonObject())
                    .put("repository", new JsonObject().put("path", repository.toString())));
        }
        return overrides;
    }

    /** A port in use is the usual way to fail here: say so in one line. Anything else keeps its own message. */
    private Exception startFailure(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return new IllegalStateException("cannot listen on port " + (port != null ? port : "from the "
                        + "configuration") + ": " + cause.getMessage() + " (choose another with --port)");
            }
        }
        return e;
    }

    /**
     * The first SIGTERM or SIGINT starts a graceful stop; a second one ends the process at once. Signal handlers
     * rather than a shutdown hook, so the process can exit 0 after a requested stop.
     */
    private static CountDownLatch stopOnSignals() {
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), signal -> {
                if (stop.getCount() == 0) {
                    Runtime.getRuntime().halt(128 + signal.getNumber());
                }
                stop.countDown();
            });
        }
        return stop;
    }
}
