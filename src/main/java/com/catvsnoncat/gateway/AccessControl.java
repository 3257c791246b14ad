package com.catvsnoncat.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * API keys on the routes that classify or reveal the model ({@value #API_KEY_ROUTES_DOC}), and a token of its own on
 * {@code /metrics}. A key is sent as {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}; its SHA-256 is
 * compared with every configured hash in constant time, so neither the match nor its position shows in the timing.
 * A missing or wrong key gets 401 with {@code WWW-Authenticate} before any body is read. Health, the page, the
 * OpenAPI document and the model's readiness stay open: probes and browsers need them before they have a key.
 *
 * <p>Each accepted request counts in {@code catvsnoncat_api_key_requests_total{key="<id>"}}; the label values are
 * the configured ids, a closed set, never the key.
 */
final class AccessControl {
    static final String API_KEY_HEADER = "X-API-Key";
    static final String REQUESTS_METER = "catvsnoncat.api.key.requests";
    static final String API_KEY_ROUTES_DOC = "/api/*, /v2/models/{model}, /v2/models/{model}/infer, /web/cat, /weather";
    private static final List<String> API_KEY_ROUTES = List.of("/api/*", "/v2/models/:model",
            "/v2/models/:model/infer", "/web/cat", "/weather");
    static final String API_KEY_NEEDED = "an API key is needed: send it as \"Authorization: Bearer <key>\" or \""
            + API_KEY_HEADER + ": <key>\"";
    private static final String METRICS_PATH = "/metrics";
    private static final String BEARER = "Bearer ";
    private static final String API_CHALLENGE = "Bearer realm=\"catvsnoncat\"";
    private static final String METRICS_CHALLENGE = "Bearer realm=\"catvsnoncat-metrics\"";

    private final AccessConfig config;
    private final Map<String, Counter> requests = new HashMap<>();

    /** @param registry where the per-key counters go, or null when metrics are off */
    AccessControl(AccessConfig config, MeterRegistry registry) {
        this.config = config;
        if (registry != null) {
            // Registered up front: every configured id shows, at 0 until used.
            config.apiKeys().keySet().forEach(id -> requests.put(id, Counter.builder(REQUESTS_METER)
                    .description("Requests accepted with an API key, by key id").tag("key", id)
                    .register(registry)));
        }
    }

    /** Mount before anything that reads a body, so a refused request costs no memory. */
    void mount(Router router) {
        if (config.apiKeysRequired()) {
            API_KEY_ROUTES.forEach(path -> router.route(path).handler(this::requireApiKey));
        }
        config.metricsTokenHash().ifPresent(hash -> router.route(METRICS_PATH).handler(this::requireMetricsToken));
    }

    private void requireApiKey(RoutingContext ctx) {
        if (ctx.request().method() == HttpMethod.OPTIONS) {
            // A CORS preflight carries no credentials by design.
            ctx.next();
            return;
        }
        if (!admits(ctx.request().headers())) {
            refuse(ctx, API_CHALLENGE, API_KEY_NEEDED);
            return;
        }
        ctx.next();
    }

    /**
     * Whether a request with these headers (or gRPC metadata, the same headers) may use what the keys guard: always
     * when no keys are configured, else when it carries a valid key, which is then counted.
     */
    boolean admits(MultiMap headers) {
        if (!config.apiKeysRequired()) {
            return true;
        }
        Optional<String> id = credential(headers).flatMap(this::keyId);
        id.map(requests::get).ifPresent(Counter::increment);
        return id.isPresent();
    }

    private void requireMetricsToken(RoutingContext ctx) {
        byte[] expected = config.metricsTokenHash().orElseThrow();
        if (credential(ctx.request().headers()).map(token -> MessageDigest.isEqual(sha256(token), expected)).orElse(false)) {
            ctx.next();
        } else {
            refuse(ctx, METRICS_CHALLENGE, "the metrics token is needed: send it as \"Authorization: Bearer "
                    + "<token>\"");
        }
    }

    /** The id of the key whose hash matches; every hash is compared, whatever matched before. */
    private Optional<String> keyId(String key) {
        byte[] offered = sha256(key);
        String found = null;
        for (Map.Entry<String, byte[]> entry : config.apiKeys().entrySet()) {
            if (MessageDigest.isEqual(offered, entry.getValue())) {
                found = entry.getKey();
            }
        }
        return Optional.ofNullable(found);
    }

    /** The bearer token, else the X-API-Key header; blank is none. */
    private static Optional<String> credential(MultiMap headers) {
        String authorization = headers.get(HttpHeaders.AUTHORIZATION);
        String value = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()) : headers.get(API_KEY_HEADER);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static void refuse(RoutingContext ctx, String challenge, String message) {
        ctx.response().putHeader("WWW-Authenticate", challenge);
        ctx.fail(new HttpException(HttpResponseStatus.UNAUTHORIZED.code(), message));
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
