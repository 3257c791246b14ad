package com.catvsnoncat.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Shareable;
import io.vertx.tracing.opentelemetry.OpenTelemetryOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.util.Optional;

/**
 * OpenTelemetry tracing through Vert.x's own integration (vertx-opentelemetry): the HTTP server, the HTTP clients
 * (picture downloads, weather calls) and the event bus make spans and carry W3C {@code traceparent} between them; the
 * services add their own spans with {@link #tracer(Vertx)}. On only when {@code tracing.otlpEndpoint} is set, and
 * then spans are batched and sent over OTLP/HTTP. Off, Vert.x gets no tracer at all, so nothing is spent on it.
 */
public final class Tracing {
    public static final String SECTION = "tracing";
    /** The request id (X-Request-Id) as a span attribute, so a trace can be found from a log line and back. */
    public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("catvsnoncat.request_id");
    private static final String INSTRUMENTATION = "com.catvsnoncat";
    private static final String MAP = "catvsnoncat.tracing";
    private static final String TRACER = "tracer";

    /** Kept in the Vert.x instance's local map, so every verticle finds the tracer of its own Vert.x. */
    private record SharedTracer(Tracer tracer) implements Shareable {
    }

    private Tracing() {
    }

    /**
     * The SDK the "tracing" section asks for, exporting to {@code otlpEndpoint} under {@code serviceName}; empty when
     * the endpoint is null (tracing off). A blocking-free call: the exporter connects when it first sends.
     */
    public static Optional<OpenTelemetrySdk> fromConfig(JsonObject config) {
        JsonObject section = config.getJsonObject(SECTION, new JsonObject());
        Object endpoint = section.getValue("otlpEndpoint");
        if (endpoint == null) {
            return Optional.empty();
        }
        if (!(endpoint instanceof String url) || !url.matches("https?://[^\\s]+")) {
            throw new IllegalArgumentException(SECTION + " config: otlpEndpoint must be an http(s) URL such as "
                    + "http://otel-collector:4318/v1/traces, got " + endpoint);
        }
        Object serviceName = section.getValue("serviceName");
        if (!(serviceName instanceof String name) || name.isBlank()) {
            throw new IllegalArgumentException(SECTION + " config: serviceName must be a non-empty string, got "
                    + serviceName);
        }
        return Optional.of(sdk(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(url).build())
                .build(), name));
    }

    /** An SDK handing every span to {@code processor}, propagating W3C trace context. */
    public static OpenTelemetrySdk sdk(SpanProcessor processor, String serviceName) {
        Resource service = Resource.getDefault().merge(Resource.create(
                Attributes.of(AttributeKey.stringKey("service.name"), serviceName)));
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().setResource(service).addSpanProcessor(processor)
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    /** Makes {@code openTelemetry} the tracer of the Vert.x this builder builds; call {@link #register} after. */
    public static VertxBuilder install(VertxBuilder builder, VertxOptions options, OpenTelemetry openTelemetry) {
        options.setTracingOptions(new OpenTelemetryOptions());
        return builder.with(options).withTracer(new OpenTelemetryTracingFactory(openTelemetry));
    }

    /** Lets the services of {@code vertx} make their own spans with {@link #tracer(Vertx)}. */
    public static void register(Vertx vertx, OpenTelemetry openTelemetry) {
        vertx.sharedData().getLocalMap(MAP).put(TRACER, new SharedTracer(openTelemetry.getTracer(INSTRUMENTATION)));
    }

    /** The tracer registered for this Vert.x, or empty when tracing is off. */
    public static Optional<Tracer> tracer(Vertx vertx) {
        Object shared = vertx.sharedData().getLocalMap(MAP).get(TRACER);
        return shared instanceof SharedTracer tracer ? Optional.of(tracer.tracer()) : Optional.empty();
    }
}
