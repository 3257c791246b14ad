package com.catvsnoncat.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystem;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.ServerSSLOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a renewed certificate without a restart: every {@code http.tls.reloadMs} the key and certificate files are
 * read again and, when they changed, checked ({@link TlsPair#check}) and handed to the server, whose new connections
 * then get them (connections already open keep theirs). A pair that fails the check is refused with a warning and
 * the server keeps the pair it has: a Secret caught half-updated, or a wrong file, never takes the port down. The
 * warning is given once per refused content, not every period.
 *
 * <p>Confined to the event loop of the gateway instance that runs it; one instance per process is enough, as the
 * instances share one TCP server and its TLS context.
 */
final class TlsReloader {
    static final String RELOADS_METER = "catvsnoncat.tls.reloads";
    private static final Logger LOG = LoggerFactory.getLogger(TlsReloader.class);

    private final Vertx vertx;
    private final GatewayConfig.Tls tls;
    private final HttpServer server;
    private final ServerSSLOptions started;
    private final Counter applied;
    private final Counter refused;
    /** The contents last seen, applied or refused: what a read is compared with. */
    private TlsPair seen;
    private String lastReadProblem;

    /**
     * @param started  the server's TLS options at start: a reload changes their key and certificate only (ALPN and
     *                 the rest stay)
     * @param served   the pair the server was started with
     * @param registry where the reload counter goes, or null when metrics are off
     */
    TlsReloader(Vertx vertx, GatewayConfig.Tls tls, HttpServer server, ServerSSLOptions started, TlsPair served,
                MeterRegistry registry) {
        this.vertx = vertx;
        this.tls = tls;
        this.server = server;
        this.started = started;
        this.seen = served;
        this.applied = registry == null ? null : counter(registry, "applied");
        this.refused = registry == null ? null : counter(registry, "refused");
    }

    /** Both files as they are now, checked, off the event loop: what a server starts with. */
    static Future<TlsPair> readChecked(Vertx vertx, GatewayConfig.Tls tls) {
        return read(vertx, tls).compose(pair -> vertx.executeBlocking(() -> {
            pair.check(vertx);
            return pair;
        }, false)).recover(failure -> Future.failedFuture(new IllegalArgumentException("http.tls: the pair "
                + tls.keyPath() + " and " + tls.certPath() + " cannot be served: " + failure.getMessage(), failure)));
    }

    /** Checks the files every {@code reloadMs}; timers of a verticle's context end with it. */
    void start() {
        vertx.setPeriodic(tls.reloadMs(), timer -> reload());
    }

    /** @return whether the server now serves a different pair */
    Future<Boolean> reload() {
        return read(vertx, tls).transform(read -> {
            if (read.failed()) {
                String problem = read.cause().getMessage();
                if (!problem.equals(lastReadProblem)) {
                    LOG.warn("TLS files not read ({}); still serving the pair read before", problem);
                    lastReadProblem = problem;
                }
                return Future.succeededFuture(false);
            }
            lastReadProblem = null;
            TlsPair pair = read.result();
            if (pair.equals(seen)) {
                return Future.succeededFuture(false);
            }
            seen = pair;
            return vertx.executeBlocking(() -> {
                pair.check(vertx);
                return pair;
            }, false).compose(checked -> server.updateSSLOptions(started.copy()
                    .setKeyCertOptions(checked.options()))).transform(update -> {
                        if (update.succeeded()) {
                            count(applied);
                            LOG.info("TLS certificate reloaded from {}", tls.certPath());
                            return Future.succeededFuture(true);
                        }
                        count(refused);
                        LOG.warn("TLS pair {} and {} refused, still serving the one before: {}", tls.keyPath(),
                                tls.certPath(), update.cause().getMessage());
                        return Future.succeededFuture(false);
                    });
        });
    }

    private static Future<TlsPair> read(Vertx vertx, GatewayConfig.Tls tls) {
        FileSystem files = vertx.fileSystem();
        Future<Buffer> key = files.readFile(tls.keyPath());
        Future<Buffer> cert = files.readFile(tls.certPath());
        return Future.all(key, cert).map(both -> new TlsPair(key.result(), cert.result()));
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder(RELOADS_METER).description("Changed TLS key and certificate files, by outcome")
                .tag("outcome", outcome).register(registry);
    }

    private static void count(Counter counter) {
        if (counter != null) {
            counter.increment();
        }
    }
}
