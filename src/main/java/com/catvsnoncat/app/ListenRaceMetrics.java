package com.catvsnoncat.app;

import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;

/**
 * Vert.x metrics (the Micrometer ones) that leave unmeasured an HTTP connection accepted before its server's metrics
 * existed, instead of failing its requests.
 *
 * <p>Why (Vert.x 5.0.7, still so in 5.0.12): {@code NetServerImpl} creates a server's metrics in a listener on its
 * bind future. When that listener is added after the bind has completed on the acceptor thread (the listening thread
 * was descheduled, or linking the listener's lambda on first use), Netty runs it as a later task, and the acceptor
 * may accept a connection first. That connection gets no socket metric (the server's metrics were still null), but
 * the HTTP layer reads the server's metrics again on the connection's first bytes, finds them, and calls
 * {@code requestBegin(null, request)}: Micrometer throws a NullPointerException and the request is never answered,
 * so the connection hangs until the idle timeout. Seen in about 1 start in 20 under load, on the readiness probe.
 * Every call with a missing socket, request or WebSocket metric is dropped here; everything else is passed on.
 * Remove this once Vert.x creates the metrics before it accepts, or reads them once per connection.
 */
final class ListenRaceMetrics implements VertxMetrics {
    private final VertxMetrics delegate;

    ListenRaceMetrics(VertxMetrics delegate) {
        this.delegate = delegate;
    }

    @Override
    public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
        HttpServerMetrics<?, ?, ?> metrics = delegate.createHttpServerMetrics(options, localAddress);
        return metrics == null ? null : new ServerMetrics<>(metrics);
    }

    @Override
    public EventBusMetrics<?> createEventBusMetrics() {
        return delegate.createEventBusMetrics();
    }

    @Override
    public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
        return delegate.createClientMetrics(remoteAddress, type, namespace);
    }

    @Override
    public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
        return delegate.createHttpClientMetrics(options);
    }

    @Override
    public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
        return delegate.createNetServerMetrics(options, localAddress);
    }

    @Override
    public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
        return delegate.createNetClientMetrics(options);
    }

    @Override
    public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
        return delegate.createDatagramSocketMetrics(options);
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String type, String name, int maxSize) {
        return delegate.createPoolMetrics(type, name, maxSize);
    }

    @Override
    public void vertxCreated(Vertx vertx) {
        delegate.vertxCreated(vertx);
    }

    @Override
    public boolean isMetricsEnabled() {
        return delegate.isMetricsEnabled();
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** An HTTP server's metrics; S is the socket metric, R a request's, W a WebSocket's. */
    static final class ServerMetrics<R, W, S> implements HttpServerMetrics<R, W, S> {
        private final HttpServerMetrics<R, W, S> delegate;

        @SuppressWarnings("unchecked")
        ServerMetrics(HttpServerMetrics<?, ?, ?> delegate) {
            this.delegate = (HttpServerMetrics<R, W, S>) delegate;
        }

        @Override
        public R requestBegin(S socketMetric, HttpRequest request) {
            return socketMetric == null ? null : delegate.requestBegin(socketMetric, request);
        }

        @Override
        public void requestEnd(R requestMetric, HttpRequest request, long bytesRead) {
            if (requestMetric != null) {
                delegate.requestEnd(requestMetric, request, bytesRead);
            }
        }

        @Override
        public void requestReset(R requestMetric) {
            if (requestMetric != null) {
                delegate.requestReset(requestMetric);
            }
        }

        @Override
        public void requestRouted(R requestMetric, String route) {
            if (requestMetric != null) {
                delegate.requestRouted(requestMetric, route);
            }
        }

        @Override
        public void responseBegin(R requestMetric, HttpResponse response) {
            if (requestMetric != null) {
                delegate.responseBegin(requestMetric, response);
            }
        }

        @Override
        public R responsePushed(S socketMetric, HttpMethod method, String uri, HttpResponse response) {
            return socketMetric == null ? null : delegate.responsePushed(socketMetric, method, uri, response);
        }

        @Override
        public void responseEnd(R requestMetric, HttpResponse response, long bytesWritten) {
            if (requestMetric != null) {
                delegate.responseEnd(requestMetric, response, bytesWritten);
            }
        }

        @Override
        public W connected(S socketMetric, R requestMetric, ServerWebSocket serverWebSocket) {
            return socketMetric == null || requestMetric == null ? null
                    : delegate.connected(socketMetric, requestMetric, serverWebSocket);
        }

        @Override
        public void disconnected(W serverWebSocketMetric) {
            if (serverWebSocketMetric != null) {
                delegate.disconnected(serverWebSocketMetric);
            }
        }

        @Override
        public S connected(SocketAddress remoteAddress, String remoteName) {
            return delegate.connected(remoteAddress, remoteName);
        }

        @Override
        public void disconnected(S socketMetric, SocketAddress remoteAddress) {
            if (socketMetric != null) {
                delegate.disconnected(socketMetric, remoteAddress);
            }
        }

        @Override
        public void bytesRead(S socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
            if (socketMetric != null) {
                delegate.bytesRead(socketMetric, remoteAddress, numberOfBytes);
            }
        }

        @Override
        public void bytesWritten(S socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
            if (socketMetric != null) {
                delegate.bytesWritten(socketMetric, remoteAddress, numberOfBytes);
            }
        }

        @Override
        public void exceptionOccurred(S socketMetric, SocketAddress remoteAddress, Throwable t) {
            if (socketMetric != null) {
                delegate.exceptionOccurred(socketMetric, remoteAddress, t);
            }
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
