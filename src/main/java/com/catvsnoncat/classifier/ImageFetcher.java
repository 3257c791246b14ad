package com.catvsnoncat.classifier;

import com.catvsnoncat.bus.Failure;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Downloads a picture a visitor gave by URL, built like the image proxies that do this safely: http(s) only, no
 * credentials in the URL, the host resolved once and every address checked by an {@link AddressPolicy} before
 * connecting to the checked address (no second lookup), redirects followed by hand with each hop checked again,
 * a connect timeout, a deadline on the whole download and a body cap enforced while reading. Failures are
 * {@link ClassifierFailure}s whose message tells the visitor what went wrong with their URL.
 */
public final class ImageFetcher {

    /**
     * @param connectTimeoutMs time to open a connection to the image host
     * @param timeoutMs        time for the whole download, redirects included
     * @param maxBytes         largest body accepted; more is refused (413) as soon as it is known
     * @param maxRedirects     redirects followed at most
     * @param allowLoopback    whether loopback addresses may be fetched (tests, local development only)
     */
    public record Options(long connectTimeoutMs, long timeoutMs, long maxBytes, int maxRedirects,
                          boolean allowLoopback) {
    }

    /** Resolves a host name to all its addresses; pluggable so tests can answer like a hostile DNS server. */
    @FunctionalInterface
    public interface Resolver {
        Future<List<InetAddress>> resolve(String host);

        /** The JDK resolver (which also parses numeric forms such as 2130706433 as a resolver would), off the event loop. */
        static Resolver system(Vertx vertx) {
            return host -> vertx.executeBlocking(() -> List.of(InetAddress.getAllByName(host)), false);
        }
    }

    private static final int HTTP_PORT = 80;
    private static final int HTTPS_PORT = 443;

    private final Vertx vertx;
    private final Options options;
    private final AddressPolicy policy;
    private final Resolver resolver;
    private final HttpClient client;

    public ImageFetcher(Vertx vertx, Options options, AddressPolicy policy, Resolver resolver) {
        this.vertx = vertx;
        this.options = options;
        this.policy = policy;
        this.resolver = resolver;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout(Math.toIntExact(options.connectTimeoutMs()))
                .setMaxRedirects(0));
    }

    public ImageFetcher(Vertx vertx, Options options) {
        this(vertx, options, AddressPolicy.publicOnly(options.allowLoopback()), Resolver.system(vertx));
    }

    /** One download: the request being made now, so the deadline can abort it. */
    private static final class Download {
        final Promise<Buffer> result = Promise.promise();
        HttpClientRequest request;

        void abort() {
            if (request != null) {
                request.reset();
            }
        }
    }

    /** @return the body of the picture at {@code url}; fails with a {@link ClassifierFailure} */
    public Future<Buffer> fetch(String url) {
        URI uri;
        try {
            uri = checked(parse(url));
        } catch (ClassifierFailure e) {
            return Future.failedFuture(e);
        }
        Download download = new Download();
        long timer = vertx.setTimer(options.timeoutMs(), id -> {
            if (download.result.tryFail(new ClassifierFailure(Failure.TIMEOUT,
                    "the image URL did not deliver the picture within " + options.timeoutMs() + " ms"))) {
                download.abort();
            }
        });
        hop(download, uri, 0);
        return download.result.future().andThen(done -> vertx.cancelTimer(timer));
    }

    public Future<Void> close() {
        return client.close();
    }

    private void hop(Download download, URI uri, int redirects) {
        String host = hostOf(uri);
        int port = uri.getPort() != -1 ? uri.getPort() : isHttps(uri) ? HTTPS_PORT : HTTP_PORT;
        resolver.resolve(host)
                .map(addresses -> allowedAddress(host, addresses))
                .compose(address -> client.request(new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, port)))
                        .setHost(host)
                        .setPort(port)
                        .setSsl(isHttps(uri))
                        .setURI(pathAndQuery(uri))
                        .setFollowRedirects(false)
                        .setConnectTimeout(options.connectTimeoutMs())
                        .putHeader(HttpHeaders.ACCEPT, "image/*")))
                .compose(request -> {
                    download.request = request;
                    if (download.result.future().isComplete()) {
                        // The deadline passed while resolving or connecting.
                        download.abort();
                    }
                    return request.send();
                })
                .onSuccess(response -> answered(download, uri, redirects, response))
                .onFailure(failure -> download.result.tryFail(translated(host, failure)));
    }

    private void answered(Download download, URI uri, int redirects, HttpClientResponse response) {
        // Aborting resets the stream, which reports here; the outcome is decided below instead.
        response.exceptionHandler(reset -> { });
        int status = response.statusCode();
        if (status >= 300 && status < 400 && response.getHeader(HttpHeaders.LOCATION) != null) {
            download.abort();
            if (redirects >= options.maxRedirects()) {
                download.result.tryFail(new ClassifierFailure(Failure.UNPROCESSABLE,
                        "the image URL redirects more than " + options.maxRedirects() + " times"));
                return;
            }
            try {
                URI next = checked(uri.resolve(parse(response.getHeader(HttpHeaders.LOCATION))));
                hop(download, next, redirects + 1);
            } catch (ClassifierFailure e) {
                download.result.tryFail(new ClassifierFailure(e.failure(), "the image URL redirects to a URL that "
                        + "is refused: " + e.getMessage()));
            }
            return;
        }
        if (status < 200 || status >= 300) {
            download.abort();
            download.result.tryFail(new ClassifierFailure(status < 500 ? Failure.UNPROCESSABLE : Failure.BAD_GATEWAY,
                    "the image URL answered " + status));
            return;
        }
        String declared = response.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && declaredLength(declared) > options.maxBytes()) {
            download.result.tryFail(tooLarge(" (it announces " + declared + " bytes)"));
            download.abort();
            return;
        }
        response.exceptionHandler(failure -> download.result.tryFail(new ClassifierFailure(Failure.BAD_GATEWAY,
                "the image URL broke off while sending the picture")));
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if ((long) body.length() + chunk.length() > options.maxBytes()) {
                // Stop reading: closing the connection is the only way to stop the sender.
                if (download.result.tryFail(tooLarge(""))) {
                    download.abort();
                }
                return;
            }
            body.appendBuffer(chunk);
        });
        response.endHandler(end -> download.result.tryComplete(body));
    }

    private InetAddress allowedAddress(String host, List<InetAddress> addresses) {
        for (InetAddress address : addresses) {
            Optional<String> refusal = policy.refusal(address);
            if (refusal.isPresent()) {
                throw new ClassifierFailure(Failure.UNPROCESSABLE, "the image URL's host " + host
                        + " is refused: " + refusal.get() + ", which this service does not fetch from");
            }
        }
        if (addresses.isEmpty()) {
            throw new ClassifierFailure(Failure.UNPROCESSABLE, "could not reach host " + host + " (no address)");
        }
        return addresses.get(0);
    }

    private ClassifierFailure tooLarge(String detail) {
        return new ClassifierFailure(Failure.PAYLOAD_TOO_LARGE, "the picture at the URL is larger than the limit of "
                + options.maxBytes() + " bytes" + detail);
    }

    private static long declaredLength(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            // A garbled length: read and count the bytes instead.
            return -1;
        }
    }

    private ClassifierFailure translated(String host, Throwable failure) {
        if (failure instanceof ClassifierFailure known) {
            return known;
        }
        if (failure instanceof UnknownHostException) {
            return new ClassifierFailure(Failure.UNPROCESSABLE, "could not reach host " + host + " (unknown host)");
        }
        if (failure instanceof ConnectTimeoutException) {
            return new ClassifierFailure(Failure.TIMEOUT, "could not reach host " + host + " (no connection within "
                    + options.connectTimeoutMs() + " ms)");
        }
        if (failure instanceof ConnectException) {
            return new ClassifierFailure(Failure.UNPROCESSABLE, "could not reach host " + host
                    + " (connection refused)");
        }
        if (failure instanceof TimeoutException) {
            return new ClassifierFailure(Failure.TIMEOUT, "the image URL did not answer in time");
        }
        return new ClassifierFailure(Failure.BAD_GATEWAY, "fetching the image URL failed (" + failure.getMessage() + ")");
    }

    private static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "the image URL is empty");
        }
        try {
            return new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "the image URL is not a valid URL: " + e.getReason());
        }
    }

    /** The checks that need no network: scheme, credentials, host. */
    private static URI checked(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "only http and https image URLs are fetched, not "
                    + (scheme.isEmpty() ? "a URL without a scheme" : scheme + ":"));
        }
        if (uri.getRawUserInfo() != null) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "image URLs with a user name or password are refused");
        }
        if (uri.getHost() == null) {
            throw new ClassifierFailure(Failure.BAD_REQUEST, "the image URL has no host name");
        }
        return uri;
    }

    private static boolean isHttps(URI uri) {
        return uri.getScheme().equalsIgnoreCase("https");
    }

    /** The host without IPv6 brackets. */
    private static String hostOf(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String pathAndQuery(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }
}
