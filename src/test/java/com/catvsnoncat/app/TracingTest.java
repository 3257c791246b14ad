package com.catvsnoncat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.catvsnoncat.BlockedThreads;
import com.catvsnoncat.classifier.ClassifierApi;
import com.catvsnoncat.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracing end to end, spans kept in memory: a request that arrives with a W3C traceparent is one trace from the
 * gateway through the event bus to the classifier and its download (or to the weather service and its upstream
 * calls), and the traceparent reaches the servers the application calls. Without a tracer nothing is propagated.
 */
@Timeout(60)
class TracingTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN_ID = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01";
    private static final long SPANS_DEADLINE_MS = 10_000;
    /** Vert.x's name for the event-bus address on its spans. */
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");

    @TempDir
    Path dir;

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final List<String> traceparentsReceived = new CopyOnWriteArrayList<>();
    private OpenTelemetrySdk sdk;
    private Vertx vertx;
    private WebClient client;
    private Application application;
    private HttpServer upstream;

    private void start(boolean tracing) throws IOException {
        sdk = Tracing.sdk(SimpleSpanProcessor.create(exporter), "catvsnoncat-test");
        vertx = MetricsVertx.create(BlockedThreads.vertxOptions(), tracing ? Optional.of(sdk) : Optional.empty());
        client = WebClient.create(vertx);
        Buffer png = Buffer.buffer(ApplicationTestConfig.png());
        // The picture server and the weather provider in one: it notes the traceparent of every request.
        upstream = vertx.createHttpServer().requestHandler(request -> {
            String traceparent = request.getHeader("traceparent");
            traceparentsReceived.add(traceparent == null ? "(none)" : traceparent);
            if (request.path().equals("/cat.png")) {
                request.response().putHeader("Content-Type", "image/png").end(png);
            } else {
                request.response().setStatusCode(503).end();
            }
        }).listen(0, "127.0.0.1").await();
        application = Application.start(vertx, ConfigLoader.defaults()
                .mergeIn(ApplicationTestConfig.withModel(dir), true)
                .mergeIn(new JsonObject()
                        .put("classifier", new JsonObject().put("fetch", new JsonObject()
                                .put("allowLoopback", true).put("allowedPorts", new JsonArray())))
                        .put("weather", new JsonObject().put("provider", "open-meteo").put("openMeteo",
                                new JsonObject().put("baseUrl", "http://127.0.0.1:" + upstream.actualPort()))),
                        true)).await();
    }

    @AfterEach
    void stop() {
        if (application != null) {
            application.close().await();
        }
        if (vertx != null) {
            vertx.close().await();
        }
        if (sdk != null) {
            sdk.close();
        }
    }

    private HttpResponse<Buffer> classifyByUrl() {
        return client.post(application.port(), "127.0.0.1", "/api/classify")
                .putHeader("traceparent", TRACEPARENT).putHeader("X-Request-Id", "trace-test-1")
                .sendJsonObject(new JsonObject().put("url", "http://127.0.0.1:" + upstream.actualPort() + "/cat.png"))
                .await();
    }

    @Test
    void classifyingByUrlIsOneTraceFromTheGatewayThroughTheClassifierToTheDownload() throws Exception {
        start(true);

        HttpResponse<Buffer> response = classifyByUrl();

        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        SpanData gateway = awaitSpan(span -> span.getKind() == SpanKind.SERVER
                && span.getParentSpanId().equals(CALLER_SPAN_ID));
        List<SpanData> spans = awaitSpans(6);
        assertThat(spans).allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(TRACE_ID));
        assertThat(gateway.getAttributes().get(Tracing.REQUEST_ID)).isEqualTo("trace-test-1");
        SpanData classifier = one(spans, span -> span.getKind() == SpanKind.SERVER
                && ClassifierApi.CLASSIFY.equals(span.getAttributes().get(DESTINATION)));
        assertThat(classifier.getAttributes().get(Tracing.REQUEST_ID)).isEqualTo("trace-test-1");
        SpanData fetch = one(spans, span -> span.getName().equals("fetch"));
        SpanData download = one(spans, span -> span.getKind() == SpanKind.CLIENT
                && span.getParentSpanId().equals(fetch.getSpanId()));
        assertThat(ancestry(spans, download)).containsSubsequence(fetch.getSpanId(), classifier.getSpanId(),
                gateway.getSpanId());
        for (String step : List.of("decode", "inference")) {
            assertThat(one(spans, span -> span.getName().equals(step)).getParentSpanId()).as(step)
                    .isEqualTo(classifier.getSpanId());
        }
        assertThat(traceparentsReceived).singleElement().asString()
                .startsWith("00-" + TRACE_ID + "-" + download.getSpanId());
    }

    @Test
    void weatherCallsCarryTheCallersTrace() throws Exception {
        start(true);

        client.get(application.port(), "127.0.0.1", "/api/weather").putHeader("traceparent", TRACEPARENT)
                .send().await();

        assertThat(traceparentsReceived).isNotEmpty()
                .allSatisfy(traceparent -> assertThat(traceparent).startsWith("00-" + TRACE_ID + "-"));
    }

    @Test
    void withoutATracerNothingIsTracedNorPropagated() throws Exception {
        start(false);

        HttpResponse<Buffer> response = classifyByUrl();

        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        assertThat(traceparentsReceived).containsExactly("(none)");
        assertThat(exporter.getFinishedSpanItems()).isEmpty();
        assertThat(Tracing.tracer(vertx)).isEmpty();
    }

    @Test
    void isOnOnlyWithAnHttpOtlpEndpoint() {
        JsonObject on = ConfigLoader.defaults().mergeIn(new JsonObject().put("tracing",
                new JsonObject().put("otlpEndpoint", "http://127.0.0.1:4318/v1/traces")), true);
        JsonObject typo = ConfigLoader.defaults().mergeIn(new JsonObject().put("tracing",
                new JsonObject().put("otlpEndpoint", "127.0.0.1:4318")), true);

        try (OpenTelemetrySdk configured = Tracing.fromConfig(on).orElseThrow()) {
            assertThat(configured.getTracerProvider().get("test").spanBuilder("s").startSpan().getSpanContext()
                    .isValid()).isTrue();
        }
        assertThat(Tracing.fromConfig(ConfigLoader.defaults())).isEmpty();
        assertThatThrownBy(() -> Tracing.fromConfig(typo)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tracing config: otlpEndpoint");
    }

    /** Span ids from this span's parent up to the root. */
    private static List<String> ancestry(List<SpanData> spans, SpanData span) {
        Map<String, SpanData> byId = spans.stream().collect(Collectors.toMap(SpanData::getSpanId,
                Function.identity()));
        List<String> ancestors = new ArrayList<>();
        for (SpanData parent = byId.get(span.getParentSpanId()); parent != null;
             parent = byId.get(parent.getParentSpanId())) {
            ancestors.add(parent.getSpanId());
        }
        return ancestors;
    }

    private static SpanData one(List<SpanData> spans, Predicate<SpanData> which) {
        List<SpanData> found = spans.stream().filter(which).toList();
        assertThat(found).as("spans %s", spans.stream().map(s -> s.getKind() + " " + s.getName()).toList())
                .hasSize(1);
        return found.get(0);
    }

    /** Spans end after the response is sent: wait for them rather than race them. */
    private SpanData awaitSpan(Predicate<SpanData> which) throws InterruptedException {
        long deadline = System.currentTimeMillis() + SPANS_DEADLINE_MS;
        while (System.currentTimeMillis() < deadline) {
            Optional<SpanData> found = exporter.getFinishedSpanItems().stream().filter(which).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such span among " + exporter.getFinishedSpanItems());
    }

    private List<SpanData> awaitSpans(int atLeast) throws InterruptedException {
        long deadline = System.currentTimeMillis() + SPANS_DEADLINE_MS;
        while (exporter.getFinishedSpanItems().size() < atLeast && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return exporter.getFinishedSpanItems();
    }
}
