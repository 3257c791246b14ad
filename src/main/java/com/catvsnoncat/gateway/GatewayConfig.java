package com.catvsnoncat.gateway;

import com.catvsnoncat.config.ConfigValues;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's settings: the "http" and "admin" sections of the configuration (defaults in
 * {@code config/defaults.json}), checked once at start so a typo fails the deployment with the key's name.
 *
 * @param host                  interface to listen on
 * @param port                  port to listen on; 0 picks a free one (shared by every gateway instance)
 * @param instances             gateway verticle instances (event loops serving HTTP); the number of cores when 0
 * @param bodyLimitBytes        largest request body; beyond it 413, refused from Content-Length before reading
 * @param bodyBudgetBytes       request bodies held in memory at once, all requests together; beyond it 503. A
 *                              quarter of the JVM's maximum heap when the configuration has null
 * @param idleTimeoutSeconds    connections idle this long are closed (slow or stalled clients)
 * @param bodyTimeoutMs         a request body must have arrived whole this long after the request started (else 408)
 * @param bodyMinBytesPerSecond a request body must arrive at least this fast on average (else 408): a trickle
 *                              resets the idle timeout, so this is what frees the body budget it holds
 * @param maxHeaderSizeBytes    largest request header block
 * @param maxInitialLineLength  longest request line (method, path, version)
 * @param compression           gzip/deflate responses when the client accepts it (never for images)
 * @param busTimeoutMs          how long an event-bus request may wait for its reply before 504; above the
 *                              services' own deadlines so they answer first with a better reason
 * @param readinessTimeoutMs    how long readiness waits for the classifier's answer
 * @param retryAfterSeconds     the Retry-After sent with every 503
 * @param shutdownGraceMs       on shutdown, how long readiness fails before the server stops taking connections
 * @param drainTimeoutMs        on shutdown, how long requests in flight may take to finish
 * @param corsAllowedOrigins    origins allowed to call the API from a browser; empty: CORS off
 * @param contentSecurityPolicy the Content-Security-Policy header of every response
 * @param adminToken            the bearer token of the admin routes; empty: the admin routes do not exist
 * @param tls                   the server's PEM key and certificate; empty: cleartext (HTTP/1.1 and HTTP/2)
 */
public record GatewayConfig(String host, int port, int instances, long bodyLimitBytes, long bodyBudgetBytes,
                            int idleTimeoutSeconds, long bodyTimeoutMs, long bodyMinBytesPerSecond,
                            int maxHeaderSizeBytes, int maxInitialLineLength, boolean compression, long busTimeoutMs,
                            long readinessTimeoutMs, int retryAfterSeconds, long shutdownGraceMs, long drainTimeoutMs,
                            List<String> corsAllowedOrigins, String contentSecurityPolicy,
                            Optional<String> adminToken, Optional<Tls> tls) {
    public static final String HTTP = "http";
    public static final String ADMIN = "admin";
    /** Read once by {@link GatewayVerticle#deploy}, off the event loop (it may name a file): {@link AccessConfig}. */
    public static final String AUTH = AccessConfig.SECTION;
    private static final long MAX_TLS_RELOAD_MS = TimeUnit.DAYS.toMillis(1);

    /** @param config the application configuration (its "http" and "admin" sections are read) */
    public static GatewayConfig from(JsonObject config) {
        JsonObject http = section(config, HTTP);
        JsonObject admin = config.getJsonObject(ADMIN, new JsonObject());
        int instances = (int) ConfigValues.integer(HTTP, http, "instances", 0, 1024);
        String token = admin.getString("token");
        long bodyLimitBytes = ConfigValues.integer(HTTP, http, "bodyLimitBytes", 1, Integer.MAX_VALUE);
        return new GatewayConfig(
                string(http, "host"),
                (int) ConfigValues.integer(HTTP, http, "port", 0, 65535),
                instances == 0 ? Runtime.getRuntime().availableProcessors() : instances,
                bodyLimitBytes,
                bodyBudgetBytes(http, bodyLimitBytes),
                (int) ConfigValues.integer(HTTP, http, "idleTimeoutSeconds", 0, Integer.MAX_VALUE),
                ConfigValues.integer(HTTP, http, "bodyTimeoutMs", 1, Long.MAX_VALUE),
                ConfigValues.integer(HTTP, http, "bodyMinBytesPerSecond", 0, Long.MAX_VALUE),
                (int) ConfigValues.integer(HTTP, http, "maxHeaderSizeBytes", 1024, Integer.MAX_VALUE),
                (int) ConfigValues.integer(HTTP, http, "maxInitialLineLength", 256, Integer.MAX_VALUE),
                bool(http, "compression"),
                ConfigValues.integer(HTTP, http, "busTimeoutMs", 1, Long.MAX_VALUE),
                ConfigValues.integer(HTTP, http, "readinessTimeoutMs", 1, Long.MAX_VALUE),
                (int) ConfigValues.integer(HTTP, http, "retryAfterSeconds", 0, Integer.MAX_VALUE),
                ConfigValues.integer(HTTP, http, "shutdownGraceMs", 0, Long.MAX_VALUE),
                ConfigValues.integer(HTTP, http, "drainTimeoutMs", 0, Long.MAX_VALUE),
                strings(http, "corsAllowedOrigins"),
                string(http, "contentSecurityPolicy"),
                token == null || token.isBlank() ? Optional.empty() : Optional.of(token),
                tls(http));
    }

    /**
     * TLS on the one port: a PEM private key (PKCS#8 or PKCS#1) and its certificate chain, both files. HTTP/2 is
     * then chosen by ALPN, as gRPC clients and browsers ask for it; HTTP/1.1 clients get HTTP/1.1.
     *
     * @param reloadMs how often the files are read again, so a renewed certificate is served without a restart
     *                 ({@link TlsReloader}); 0: never
     */
    public record Tls(String keyPath, String certPath, long reloadMs) {
    }

    /** The "tls" section: both paths, or neither (TLS off). */
    private static Optional<Tls> tls(JsonObject http) {
        JsonObject tls = http.getJsonObject("tls", new JsonObject());
        String key = tls.getString("keyPath");
        String cert = tls.getString("certPath");
        boolean hasKey = key != null && !key.isBlank();
        boolean hasCert = cert != null && !cert.isBlank();
        if (hasKey != hasCert) {
            throw new IllegalArgumentException("http config: tls.keyPath and tls.certPath go together; "
                    + (hasKey ? "tls.certPath" : "tls.keyPath") + " is missing");
        }
        return hasKey ? Optional.of(new Tls(key, cert, ConfigValues.integer(HTTP + ".tls", tls, "reloadMs", 0,
                MAX_TLS_RELOAD_MS))) : Optional.empty();
    }

    /**
     * The body budget. When none is configured, a quarter of the maximum heap, so it follows the heap the container's
     * memory limit gives (32 MiB of the image's 128 MiB) and leaves the rest to the classifier and the JVM; at least
     * one body of the largest size either way, or such a body would be refused with 503 for ever.
     */
    private static long bodyBudgetBytes(JsonObject http, long bodyLimitBytes) {
        OptionalLong configured = ConfigValues.optionalInteger(HTTP, http, "bodyBudgetBytes", 1, Long.MAX_VALUE);
        if (configured.isEmpty()) {
            return Math.max(Runtime.getRuntime().maxMemory() / 4, bodyLimitBytes);
        }
        if (configured.getAsLong() < bodyLimitBytes) {
            throw new IllegalArgumentException("http config: bodyBudgetBytes (" + configured.getAsLong()
                    + ") is below bodyLimitBytes (" + bodyLimitBytes + "): a body of the largest allowed size could "
                    + "never be read");
        }
        return configured.getAsLong();
    }

    private static JsonObject section(JsonObject config, String name) {
        if (!(config.getValue(name) instanceof JsonObject section)) {
            throw new IllegalArgumentException("configuration: the \"" + name + "\" section is missing");
        }
        return section;
    }

    private static boolean bool(JsonObject json, String key) {
        if (!(json.getValue(key) instanceof Boolean value)) {
            throw new IllegalArgumentException("http config: " + key + " must be true or false, got "
                    + json.getValue(key));
        }
        return value;
    }

    private static String string(JsonObject json, String key) {
        if (!(json.getValue(key) instanceof String value) || value.isBlank()) {
            throw new IllegalArgumentException("http config: " + key + " must be a non-empty string, got "
                    + json.getValue(key));
        }
        return value;
    }

    private static List<String> strings(JsonObject json, String key) {
        if (!(json.getValue(key) instanceof JsonArray array)
                || !array.stream().allMatch(item -> item instanceof String)) {
            throw new IllegalArgumentException("http config: " + key + " must be a list of strings, got "
                    + json.getValue(key));
        }
        return array.stream().map(String.class::cast).toList();
    }
}
