package com.catvsnoncat.gateway;

import com.catvsnoncat.classifier.ClassifierConfig;
import com.catvsnoncat.tracing.Tracing;
import com.catvsnoncat.web.StaticContent;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Handler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;

/**
 * The one HTTP server of the application: the API (page API, original routes, Open Inference Protocol, health,
 * admin, metrics, OpenAPI document) and, mounted after it at "/", the page, whose GETs it hands to the static-content
 * service over the event bus ({@link StaticContent}). Everything is on one port and one origin, which the page and
 * its Content-Security-Policy rely on.
 *
 * <p>Why the page is not a server of its own: two servers on one port would each need every route (Vert.x balances
 * connections, not paths, between servers sharing a port). Deploy several instances (one per event loop) for
 * throughput; they share the port. Nothing here does CPU-heavy work: pictures go to the classifier over the event
 * bus, and large inference requests are parsed on a worker thread.
 *
 * <p>The Open Inference Protocol's gRPC service ({@link InferenceGrpcService}) is on this server too: a request
 * whose Content-Type is application/grpc* goes to it, any other to the router. With {@code http.tls} set, the port
 * speaks TLS only, HTTP/2 or HTTP/1.1 as ALPN chooses.
 *
 * <p>Stopping shuts the server down gracefully: no new connections, requests in flight finish within
 * {@code http.drainTimeoutMs}.
 */
public final class GatewayVerticle extends VerticleBase {
    private static final int HTTP2_WINDOW_BYTES = 1 << 20;
    private final GatewayConfig settings;
    private final AccessConfig access;
    private final int maxBatch;
    private final TlsPair tlsPair;
    private final AtomicBoolean tlsReloaderClaim;
    private HttpServer server;
    private Router router;
    private InferenceProtocolRoutes protocolRoutes;

    /**
     * @param settings parsed once, and shared by every instance
     * @param access   read once, and shared by every instance
     * @param maxBatch the classifier's batch limit ({@link ClassifierConfig#maxBatch()}), which the inference
     *                 protocol checks while parsing
     * @param tlsPair  the checked TLS key and certificate, read once and shared by every instance; null: cleartext
     * @param tlsReloaderClaim shared by the instances: the first to start takes it and runs the {@link TlsReloader}
     *                 of the TLS context they share
     */
    GatewayVerticle(GatewayConfig settings, AccessConfig access, int maxBatch, TlsPair tlsPair,
                    AtomicBoolean tlsReloaderClaim) {
        this.settings = settings;
        this.access = access;
        this.maxBatch = maxBatch;
        this.tlsPair = tlsPair;
        this.tlsReloaderClaim = tlsReloaderClaim;
    }

    /**
     * Deploys {@code options.getInstances()} gateways that share {@code settings}, one reading of the "auth"
     * section and one checked reading of the TLS pair, done here off the event loop (both may be mounted Secrets).
     *
     * @param options its config holds the "auth" section
     */
    public static Future<String> deploy(Vertx vertx, GatewayConfig settings, int maxBatch,
                                        DeploymentOptions options) {
        AtomicBoolean tlsReloaderClaim = new AtomicBoolean();
        Future<AccessConfig> access = vertx.executeBlocking(() -> AccessConfig.from(options.getConfig()), false);
        Future<TlsPair> tlsPair = settings.tls().map(tls -> TlsReloader.readChecked(vertx, tls))
                .orElse(Future.succeededFuture());
        return Future.all(access, tlsPair).compose(read -> vertx.deployVerticle(() -> new GatewayVerticle(settings,
                access.result(), maxBatch, tlsPair.result(), tlsReloaderClaim), options));
    }

    @Override
    public Future<?> start() {
        ServerState state = ServerState.of(vertx);
        return vertx.executeBlocking(StartupResources::load, false).compose(resources -> {
            ProtocolChecks protocol = new ProtocolChecks(settings);
            AccessControl accessControl = new AccessControl(access, BackendRegistries.getDefaultNow());
            ApiRoutes api = new ApiRoutes(vertx, settings);
            HealthRoutes health = new HealthRoutes(vertx, api, state, settings);
            router = router(resources, accessControl, api, health, protocol);
            InferenceGrpcService grpcService = new InferenceGrpcService(vertx, api, health, accessControl,
                    settings, resources.version(), maxBatch);
            HttpServerOptions options = serverOptions(settings, tlsPair);
            server = vertx.createHttpServer(options)
                    .invalidRequestHandler(protocol.invalidRequests())
                    .exceptionHandler(ProtocolChecks::connectionFailed)
                    .connectionHandler(connection -> {
                        connection.exceptionHandler(ProtocolChecks::connectionFailed);
                        Http2Flushes.consolidate(connection);
                    })
                    // gRPC and REST on one port: the Content-Type tells a gRPC call from anything else.
                    .requestHandler(request -> {
                        if (InferenceGrpcService.isGrpc(request)) {
                            grpcService.handle(request);
                        } else {
                            router.handle(request);
                        }
                    });
            // Port 0 would give each instance its own random port; a negative port makes them share one.
            return server.listen(settings.port() == 0 ? -1 : settings.port(), settings.host())
                    .compose(listening -> protocolRoutes.followModelNames(vertx).map(listening))
                    .onSuccess(listening -> reloadTls(options));
        }).onSuccess(listening -> state.boundTo(listening.actualPort()));
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture()
                : server.shutdown(settings.drainTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    /** The routes this instance serves, for the test that holds them against the OpenAPI document. */
    Router router() {
        return router;
    }

    private Router router(StartupResources resources, AccessControl access, ApiRoutes api, HealthRoutes health,
                          ProtocolChecks protocol) {
        Router router = Router.router(vertx);
        ErrorResponses errors = new ErrorResponses(settings);
        router.route().handler(new RequestLogging(Tracing.tracer(vertx).isPresent()))
                .handler(new ResponseHeaders(settings.contentSecurityPolicy()))
                .handler(protocol::check);
        access.mount(router);
        router.post().handler(BodyBudget.of(vertx, settings))
                .handler(new BodyPace(settings.bodyTimeoutMs(), settings.bodyMinBytesPerSecond()));
        if (!settings.corsAllowedOrigins().isEmpty()) {
            router.route().handler(new CrossOrigin(CorsHandler.create()
                    .addOrigins(settings.corsAllowedOrigins())
                    .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST))
                    .allowedHeaders(Set.of("Content-Type", RequestLogging.HEADER, "Authorization",
                            AccessControl.API_KEY_HEADER))
                    .exposedHeaders(Set.of(RequestLogging.HEADER, ServerTiming.HEADER, "Retry-After"))));
        }
        api.mount(router);
        health.mount(router);
        new LegacyRoutes(api, errors.withMessageField()).mount(router);
        protocolRoutes = new InferenceProtocolRoutes(vertx, api, health, settings, resources.version(), maxBatch);
        protocolRoutes.mount(router);
        new AdminRoutes(api, settings.adminToken()).mount(router);
        if (BackendRegistries.getDefaultNow() instanceof PrometheusMeterRegistry) {
            Handler<RoutingContext> scrape = PrometheusScrapingHandler.create();
            router.get("/metrics").handler(ctx -> JvmMetrics.bound(vertx).onComplete(bound -> scrape.handle(ctx)));
        } else {
            router.get("/metrics").handler(ctx -> errors.send(ctx, 404, "metrics are not enabled in this process"));
        }
        router.get(StartupResources.OPENAPI_PATH).handler(ctx -> ctx.response()
                .putHeader("Content-Type", StartupResources.OPENAPI_TYPE).end(resources.openApi()));
        router.route("/*").subRouter(StaticContent.router(vertx));
        router.route().failureHandler(errors);
        for (int status : new int[] {404, 405, 406, 413, 415, 500}) {
            router.errorHandler(status, errors);
        }
        return router;
    }

    private void reloadTls(HttpServerOptions options) {
        settings.tls().filter(tls -> tls.reloadMs() > 0 && tlsReloaderClaim.compareAndSet(false, true))
                .ifPresent(tls -> new TlsReloader(vertx, tls, server, options.getSslOptions(), tlsPair,
                        BackendRegistries.getDefaultNow()).start());
    }

    /** @param tls the checked pair the server serves, or null for cleartext */
    private static HttpServerOptions serverOptions(GatewayConfig settings, TlsPair tls) {
        HttpServerOptions options = new HttpServerOptions();
        // TLS on the same port when configured: ALPN offers h2 (gRPC needs it) and http/1.1.
        if (tls != null) {
            options.setSsl(true).setUseAlpn(true).setKeyCertOptions(tls.options());
        }
        // HTTP/2 flow-control windows of 1 MiB, grpc-java's own server's, instead of the protocol's 64 KiB: with
        // 64 KiB the connection's window needs a WINDOW_UPDATE (a write, and a wake-up of the client) every 32 KiB
        // read, about every third single-picture call, and a stream of a larger message waits a round trip every
        // 32 KiB. Unread bytes per connection stay bounded by the connection's window.
        options.getInitialSettings().setInitialWindowSize(HTTP2_WINDOW_BYTES);
        return options
                .setHttp2ConnectionWindowSize(HTTP2_WINDOW_BYTES)
                .setIdleTimeout(settings.idleTimeoutSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxHeaderSize(settings.maxHeaderSizeBytes())
                .setMaxInitialLineLength(settings.maxInitialLineLength())
                .setCompressionSupported(settings.compression())
                // The body readers answer "100 Continue" themselves, after checking Content-Length.
                .setHandle100ContinueAutomatically(false);
    }
}
