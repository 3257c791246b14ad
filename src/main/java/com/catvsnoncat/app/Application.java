package com.catvsnoncat.app;

import com.catvsnoncat.classifier.ClassifierConfig;
import com.catvsnoncat.classifier.ClassifierVerticle;
import com.catvsnoncat.gateway.GatewayConfig;
import com.catvsnoncat.gateway.GatewayVerticle;
import com.catvsnoncat.gateway.ServerState;
import com.catvsnoncat.weather.WeatherVerticle;
import com.catvsnoncat.web.StaticContent;
import com.catvsnoncat.web.StaticContentVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The whole service in one Vert.x instance: the HTTP gateway (the one HTTP server, see {@link GatewayVerticle}), the
 * static-content service (the page), the weather service and the classifier service, each deployed with its own
 * section of the configuration and talking over the event bus.
 *
 * <p>The gateway and the services are deployed at once, so the classifier loads its model while the gateway starts
 * (a port already in use fails the start once the others have started, and they are undeployed again); until the
 * classifier is up and warm, readiness says 503. It is also undeployed first on {@link #close()}: its
 * requests in flight still reach the services while they drain.
 */
public final class Application {
    private final Vertx vertx;
    private final JsonObject config;
    private final GatewayConfig gateway;
    /** Deployment ids: the gateway's first, then the services'. */
    private final List<String> deployments;

    private Application(Vertx vertx, JsonObject config, GatewayConfig gateway, List<String> deployments) {
        this.vertx = vertx;
        this.config = config;
        this.gateway = gateway;
        this.deployments = deployments;
    }

    /** Loads the configuration from its sources (see {@link ConfigLoader}) and starts. */
    public static Future<Application> start(Vertx vertx, ConfigLoader.Sources sources) {
        return ConfigLoader.load(vertx, sources).compose(config -> start(vertx, config));
    }

    /**
     * Starts with a complete configuration (the defaults with any overrides merged in). Fails, with nothing left
     * deployed, if any verticle fails to start.
     */
    public static Future<Application> start(Vertx vertx, JsonObject config) {
        GatewayConfig gateway;
        int maxBatch;
        try {
            LoggingSetup.apply(config.getJsonObject("logging"));
            gateway = GatewayConfig.from(config);
            maxBatch = ClassifierConfig.from(config).maxBatch();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        // All at once: the classifier's model load is most of a start, and need not wait for the gateway.
        Future<String> gatewayDeployed = GatewayVerticle.deploy(vertx, gateway, maxBatch,
                new DeploymentOptions().setInstances(gateway.instances())
                        .setConfig(sections(config, GatewayConfig.HTTP, GatewayConfig.ADMIN, GatewayConfig.AUTH)));
        List<String> services = new CopyOnWriteArrayList<>();
        Future<?> servicesDeployed = Future.join(
                deploy(vertx, new StaticContentVerticle(), config, StaticContent.Options.SECTION)
                        .onSuccess(services::add),
                deploy(vertx, new WeatherVerticle(), config, "weather").onSuccess(services::add),
                // Runs on an event loop: it does its CPU work in its own bounded worker pool.
                deploy(vertx, new ClassifierVerticle(), config, "classifier").onSuccess(services::add));
        return Future.join(gatewayDeployed, servicesDeployed)
                .map(all -> new Application(vertx, config, gateway, inOrder(gatewayDeployed, services)))
                .recover(failure -> undeploy(vertx, inOrder(gatewayDeployed, services))
                        .transform(ignored -> Future.failedFuture(failure)));
    }

    /** The gateway's deployment (when it succeeded) first, then the services'. */
    private static List<String> inOrder(Future<String> gateway, List<String> services) {
        List<String> ids = new ArrayList<>();
        if (gateway.succeeded()) {
            ids.add(gateway.result());
        }
        ids.addAll(services);
        return ids;
    }

    /** The port the HTTP server is bound to (the one picked when the configuration says 0). */
    public int port() {
        return ServerState.of(vertx).port();
    }

    /** The configuration the application runs with, all sources merged. */
    public JsonObject config() {
        return config.copy();
    }

    /**
     * Stops gracefully: readiness fails at once, after {@code http.shutdownGraceMs} the server stops taking
     * connections and lets requests in flight finish (up to {@code http.drainTimeoutMs}), then the services stop.
     * Vert.x itself stays open: whoever created it closes it.
     */
    public Future<Void> close() {
        ServerState.of(vertx).startDraining();
        Future<Void> grace = gateway.shutdownGraceMs() == 0 ? Future.succeededFuture()
                : vertx.timer(gateway.shutdownGraceMs()).mapEmpty();
        return grace.compose(ignored -> vertx.undeploy(deployments.get(0)))
                .transform(ignored -> undeploy(vertx, deployments.subList(1, deployments.size())));
    }

    private static Future<String> deploy(Vertx vertx, Deployable verticle, JsonObject config,
                                         String section) {
        return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(sections(config, section)));
    }

    private static Future<Void> undeploy(Vertx vertx, List<String> ids) {
        return Future.join(ids.stream().map(vertx::undeploy).collect(Collectors.toList())).mapEmpty();
    }

    /** The named sections of the configuration, and nothing else. */
    private static JsonObject sections(JsonObject config, String... names) {
        JsonObject selected = new JsonObject();
        for (String name : names) {
            if (config.containsKey(name)) {
                selected.put(name, config.getValue(name));
            }
        }
        return selected;
    }
}
