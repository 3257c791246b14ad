package com.catvsnoncat.classifier;

import com.catvsnoncat.bus.Failure;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Context;
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
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Downloads a picture a visitor gave by URL, built like the image proxies that do this safely: http(s) only, no
 * credentials in the URL, only the allowed ports, numeric hosts read as a resolver reads them ({@link NumericHost}),
 * the host resolved once and every address checked by an {@link AddressPolicy} before connecting to the checked
 * address (no second lookup; TLS still verifies the certificate against the URL's host name), redirects followed by
 * hand with each hop checked again, a connect timeout, a deadline on the whole download, a body cap enforced while
 * reading, and a bound on downloads in flight. Failures are {@link ClassifierFailure}s whose message tells the
 * visitor what went wrong with their URL; refusals by these rules are {@link FetchRefusal}s, with a reason.
 */
public final class ImageFetcher {

    /**
     * @param connectTimeoutMs time to open a connection to the image host
     * @param timeoutMs        time for the whole download, redirects included
     * @param maxBytes         largest body accepted; more is refused (413) as soon as it is known
     * @param maxRedirects     redirects followed at most
     * @param allowLoopback    whether loopback addresses may be fetched (tests, local development only)
     * @param allowedPorts     the ports URLs may name (80 and 443 by default); empty: any port
     * @param trustedHosts     host names fetched even though they resolve to internal addresses (an internal image
     *                         store); "*.example.com" trusts the subdomains. Redirects elsewhere are checked as usual
     * @param maxConcurrent    downloads in flight at most; beyond, the answer is 503 at once
     */
    public record Options(long connectTimeoutMs, long timeoutMs, long maxBytes, int maxRedirects,
                          boolean allowLoopback, List<Integer> allowedPorts, List<String> trustedHosts,
                          int maxConcurrent) {
        public Options {
            allowedPorts = List.copyOf(allowedPorts);
            trustedHosts = trustedHosts.stream().map(host -> host.toLowerCase(Locale.ROOT)).toList();
        }

        boolean trusts(String host) {
            String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
            return trustedHosts.stream().anyMatch(trusted -> trusted.startsWith("*.")
                    ? name.endsWith(trusted.substring(1)) : name.equals(trusted));
        }
    }

    /** Resolves a host name to all its addresses; pluggable so tests can answer like a hostile DNS server. */
    @FunctionalInterface
    public interface Resolver {
        Future<List<InetAddress>> resolve(String host);

        /** The JDK resolver, off the event loop (numeric hosts never get here: {@link NumericHost} reads them). */
        static Resolver system(Vertx vertx) {
            return host -> vertx.executeBlocking(() -> List.of(InetAddress.getAllByName(host)), false);
        }
    }

    private final Vertx vertx;
    /** Every download runs here, whichever thread asks for it: its callbacks then never race. */
    private final Context context;
    private final Options options;
    private final AddressPolicy policy;
    private final Resolver resolver;
    private final HttpClient client;
    private final AtomicInteger inFlight = new AtomicInteger();

    public ImageFetcher(Vertx vertx, Options options, AddressPolicy policy, Resolver resolver) {
        this(vertx, options, policy, resolver, null);
    }

    /** @param trust the certificates to trust instead of the JDK's (tests with a self-signed server), or null */
    ImageFetcher(Vertx vertx, Options options, AddressPolicy policy, Resolver resolver, TrustOptions trust) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.options = options;
        this.policy = policy;
        this.resolver = resolver;
        // verifyHost (the default) checks the certificate against RequestOptions.host, the URL's host name, even
        // though the connection goes to the checked address; the JDK sends that name as SNI too. No keep-alive: a
        // connection to a host a visitor chose is used for one request (no bytes it sent beyond its answer are read
        // as the next one, and an aborted download cannot leave a connection in the pool).
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(false)
                .setConnectTimeout(Math.toIntExact(options.connectTimeoutMs()))
                .setVerifyHost(true)
                .setTrustOptions(trust)
                .setMaxRedirects(0),
                // As many connections per host as downloads may be in flight: the pool must not queue them.
                new PoolOptions().setHttp1MaxSize(options.maxConcurrent()));
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
        // On a Vert.x context, stay there: the classifier's consumers run on duplicates of its context, which carry
        // the request's trace into the download.
        if (Vertx.currentContext() != null) {
            return download(url);
        }
        // A caller outside Vert.x (the CLI, tests): hop onto the fetcher's context first.
        Promise<Buffer> result = Promise.promise();
        context.runOnContext(v -> download(url).onComplete(result));
        return result.future();
    }

    private Future<Buffer> download(String url) {
        FetchTarget target;
        try {
            target = allowedPort(FetchTarget.parse(url));
        } catch (ClassifierFailure e) {
            return Future.failedFuture(e);
        }
        if (inFlight.incrementAndGet() > options.maxConcurrent()) {
            inFlight.decrementAndGet();
            return Future.failedFuture(new ClassifierFailure(Failure.UNAVAILABLE, "the service is downloading "
                    + options.maxConcurrent() + " pictures already; try again shortly"));
        }
        Download download = new Download();
        long timer = vertx.setTimer(options.timeoutMs(), id -> {
            if (download.result.tryFail(new ClassifierFailure(Failure.TIMEOUT,
                    "the image URL did not deliver the picture within " + options.timeoutMs() + " ms"))) {
                download.abort();
            }
        });
        hop(download, target, 0);
        return download.result.future().andThen(done -> {
            vertx.cancelTimer(timer);
            inFlight.decrementAndGet();
        });
    }

    public Future<Void> close() {
        return client.close();
    }

    private void hop(Download download, FetchTarget target, int redirects) {
        String host = target.host();
        int port = target.port();
        Future<List<InetAddress>> addresses = target.literal().isPresent()
                ? Future.succeededFuture(List.of(target.literal().get())) : resolver.resolve(host);
        addresses
                .map(resolved -> allowedAddress(host, resolved))
                .compose(address -> client.request(new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, port)))
                        .setHost(host)
                        .setPort(port)
                        .setSsl(target.https())
                        .setURI(target.pathAndQuery())
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
                .onSuccess(response -> answered(download, target, redirects, response))
                .onFailure(failure -> download.result.tryFail(redirects == 0 ? translated(host, failure)
                        : viaRedirect(translated(host, failure))));
    }

    private void answered(Download download, FetchTarget target, int redirects, HttpClientResponse response) {
        // Aborting resets the stream, which reports here; the outcome is decided below instead.
        response.exceptionHandler(reset -> { });
        int status = response.statusCode();
        if (status >= 300 && status < 400 && response.getHeader(HttpHeaders.LOCATION) != null) {
            download.abort();
            if (redirects >= options.maxRedirects()) {
                download.result.tryFail(new FetchRefusal(Failure.UNPROCESSABLE, FetchRefusal.REDIRECTS,
                        "the image URL redirects more than " + options.maxRedirects() + " times"));
                return;
            }
            try {
                hop(download, allowedPort(target.redirect(response.getHeader(HttpHeaders.LOCATION))), redirects + 1);
            } catch (FetchRefusal e) {
                download.result.tryFail(viaRedirect(e));
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

    /** A refusal of a redirect's target says so: the visitor's own URL looked fine. */
    private static ClassifierFailure viaRedirect(ClassifierFailure failure) {
        return failure instanceof FetchRefusal refusal ? new FetchRefusal(refusal.failure(), refusal.reason(),
                "the image URL redirects to a URL that is refused: " + refusal.getMessage()) : failure;
    }

    private FetchTarget allowedPort(FetchTarget target) {
        if (!options.allowedPorts().isEmpty() && !options.allowedPorts().contains(target.port())) {
            throw new FetchRefusal(Failure.BAD_REQUEST, FetchRefusal.PORT, "image URLs on port " + target.port()
                    + " are refused; the service fetches from port " + options.allowedPorts().stream()
                    .map(String::valueOf).collect(Collectors.joining(" or ")) + " only");
        }
        return target;
    }

    /** An address to connect to, if every address of the host is allowed (one internal address refuses it). */
    private InetAddress allowedAddress(String host, List<InetAddress> addresses) {
        for (InetAddress address : options.trusts(host) ? List.<InetAddress>of() : addresses) {
            Optional<String> refusal = policy.refusal(address);
            if (refusal.isPresent()) {
                throw new FetchRefusal(Failure.UNPROCESSABLE, FetchRefusal.INTERNAL_ADDRESS, "the image URL's host "
                        + host + " is refused: " + refusal.get() + ", which this service does not fetch from");
            }
        }
        if (addresses.isEmpty()) {
            throw new ClassifierFailure(Failure.UNPROCESSABLE, "could not reach host " + host + " (no address)");
        }
        return addresses.get(0);
    }

    private ClassifierFailure tooLarge(String detail) {
        return new FetchRefusal(Failure.PAYLOAD_TOO_LARGE, FetchRefusal.TOO_LARGE,
                "the picture at the URL is larger than the limit of "
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
}
