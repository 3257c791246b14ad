package com.catvsnoncat.app;

import com.catvsnoncat.gateway.JvmMetrics;
import com.catvsnoncat.tracing.Tracing;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.EnumSet;
import java.util.Optional;

/**
 * Vert.x with Micrometer metrics in a Prometheus registry: the default registry, which {@code /metrics} scrapes and
 * the services add their own meters to. HTTP metrics are labelled by route template (raw paths are unbounded).
 * HTTP server latency publishes histogram buckets, so Prometheus can compute percentiles; byte-size summaries do
 * not (a histogram of sizes would add hundreds of series for little use). Labels a client can influence are kept
 * within closed sets ({@link ClosedLabels}). A connection accepted before its server's metrics exist is left
 * unmeasured rather than failing its requests ({@link ListenRaceMetrics}). The JVM's own meters are bound at the
 * first scrape ({@link JvmMetrics}), not here.
 *
 * <p>Vert.x resolves no file names against the classpath: that feature copies classpath files into a cache
 * directory it creates at start (under {@code java.io.tmpdir}), which a read-only root filesystem refuses. The
 * app's own classpath files are served from memory ({@code web.StaticContentVerticle}).
 */
public final class MetricsVertx {
    static final String HTTP_SERVER_LATENCY = "vertx.http.server.response.time";

    private MetricsVertx() {
    }

    public static Vertx create() {
        return create(new VertxOptions());
    }

    /** @param options Vert.x options (tests lower the blocked-thread limits); the metrics options are set here */
    public static Vertx create(VertxOptions options) {
        return create(options, Optional.empty());
    }

    /**
     * @param options Vert.x options; the metrics options are set here
     * @param tracing OpenTelemetry as Vert.x's tracer (see {@link Tracing}); empty: Vert.x has no tracer at all
     */
    public static Vertx create(VertxOptions options, Optional<OpenTelemetry> tracing) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new ClosedLabels());
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return id.getName().equals(HTTP_SERVER_LATENCY)
                        ? DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config)
                        : config;
            }
        });
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
                .setJvmMetricsEnabled(false)
                .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_ADDRESS,
                        Label.EB_SIDE, Label.POOL_TYPE, Label.POOL_NAME))
                .setEnabled(true);
        FileSystemOptions files = new FileSystemOptions(options.getFileSystemOptions())
                .setClassPathResolvingEnabled(false).setFileCachingEnabled(false);
        VertxOptions vertxOptions = new VertxOptions(options).setMetricsOptions(metrics).setFileSystemOptions(files);
        MicrometerMetricsFactory micrometer = new MicrometerMetricsFactory(registry);
        VertxBuilder builder = Vertx.builder().with(vertxOptions)
                .withMetrics(builtOptions -> new ListenRaceMetrics(micrometer.metrics(builtOptions)));
        tracing.ifPresent(openTelemetry -> Tracing.install(builder, vertxOptions, openTelemetry));
        Vertx vertx = builder.build();
        JvmMetrics.attach(vertx, registry);
        tracing.ifPresent(openTelemetry -> Tracing.register(vertx, openTelemetry));
        return vertx;
    }
}
