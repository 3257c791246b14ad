package com.catvsnoncat.classifier;

import static com.catvsnoncat.classifier.ClassifierTesting.ip;
import static com.catvsnoncat.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.bus.Failure;
import com.catvsnoncat.testing.RefusingPort;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ImageFetcherTest {
    private static final int MAX_BYTES = 64 * 1024;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final ImageFetcher.Options LOOPBACK_ALLOWED = options(true, 1000);

    private final byte[] picture = new byte[1000];
    private ImageServer server;

    @BeforeEach
    void startImageServer(Vertx vertx) throws Exception {
        new Random(1).nextBytes(picture);
        server = await(ImageServer.start(vertx)).bytes("/cat.png", picture)
                .redirect("/r1", "/cat.png").redirect("/r2", "/r1").redirect("/r3", "/r2").redirect("/r4", "/r3");
    }

    @Test
    void fetchesThePictureBytes(Vertx vertx) throws Exception {
        Buffer body = await(new ImageFetcher(vertx, LOOPBACK_ALLOWED).fetch(server.url("/cat.png")));
        assertThat(body.getBytes()).isEqualTo(picture);
    }

    @Test
    void followsTwoRedirects(Vertx vertx) throws Exception {
        Buffer body = await(new ImageFetcher(vertx, LOOPBACK_ALLOWED).fetch(server.url("/r2")));
        assertThat(body.getBytes()).isEqualTo(picture);
    }

    @Test
    void refusesAChainOfFourRedirects(Vertx vertx) {
        ClassifierFailure failure = failureOf(new ImageFetcher(vertx, LOOPBACK_ALLOWED).fetch(server.url("/r4")));
        assertThat(failure.failure()).isEqualTo(Failure.UNPROCESSABLE);
        assertThat(failure).hasMessageContaining("redirects more than 3 times");
    }

    @Test
    void reportsTheUpstreamStatusOfAMissingPicture(Vertx vertx) {
        ClassifierFailure failure = failureOf(new ImageFetcher(vertx, LOOPBACK_ALLOWED).fetch(server.url("/nope.png")));
        assertThat(failure.failure()).isEqualTo(Failure.UNPROCESSABLE);
        assertThat(failure).hasMessage("the image URL answered 404");
    }

    @Test
    void reportsAFailingUpstreamAsBadGateway(Vertx vertx) {
        server.on("/broken", request -> request.response().setStatusCode(503).end());
        ClassifierFailure failure = failureOf(new ImageFetcher(vertx, LOOPBACK_ALLOWED).fetch(server.url("/broken")));
        assertThat(failure.failure()).isEqualTo(Failure.BAD_GATEWAY);
        assertThat(failure).hasMessage("the image URL answered 503");
    }

    @Test
    void stopsReadingAnEndlessChunkedBodyAtTheCapAndClosesTheConnection(Vertx vertx) throws Exception {
        Promise<Void> closed = Promise.promise();
        AtomicLong sent = new AtomicLong();
        server.on("/endless", request -> {
            request.connection().closeHandler(v -> closed.tryComplete());
            HttpServerResponse response = request.response().setChunked(true);
            sendForever(response, sent);
        });
        ClassifierFailure failure = failureOf(new ImageFetcher(vertx, LOOPBACK_ALLOWED).fetch(server.url("/endless")));
        assertThat(failure.failure()).isEqualTo(Failure.PAYLOAD_TOO_LARGE);
        assertThat(failure).hasMessageContaining("larger than the limit of " + MAX_BYTES + " bytes");
        await(closed.future());
        assertThat(sent.get()).as("the server stopped early because the client closed").isLessThan(100L << 20);
    }

    private static void sendForever(HttpServerResponse response, AtomicLong sent) {
        Buffer chunk = Buffer.buffer(new byte[8192]);
        while (!response.writeQueueFull() && !response.closed()) {
            response.write(chunk);
            sent.addAndGet(chunk.length());
        }
        if (!response.closed()) {
            response.drainHandler(v -> sendForever(response, sent));
        }
    }

    @Test
    void refusesALargeContentLengthBeforeReading(Vertx vertx) {
        server.on("/huge", request -> request.response().putHeader("Content-Length", "52428800")
                .write(Buffer.buffer(new byte[100])));
        ClassifierFailure failure = failureOf(new ImageFetcher(vertx, LOOPBACK_ALLOWED).fetch(server.url("/huge")));
        assertThat(failure.failure()).isEqualTo(Failure.PAYLOAD_TOO_LARGE);
        assertThat(failure).hasMessageContaining("52428800");
    }

    @Test
    void givesUpOnAServerThatNeverAnswers(Vertx vertx) {
        server.on("/silent", request -> { });
        ClassifierFailure failure = failureOf(new ImageFetcher(vertx, LOOPBACK_ALLOWED).fetch(server.url("/silent")));
        assertThat(failure.failure()).isEqualTo(Failure.TIMEOUT);
    }

    @Test
    void refusesLoopbackUnlessAllowed(Vertx vertx) {
        ImageFetcher.Options strict = options(false, 1000);
        ClassifierFailure failure = failureOf(new ImageFetcher(vertx, strict).fetch(server.url("/cat.png")));
        assertThat(failure.failure()).isEqualTo(Failure.UNPROCESSABLE);
        assertThat(failure).hasMessageContaining("127.0.0.1 is a loopback address");
    }

    @Test
    void refusesARedirectToAnInternalAddress(Vertx vertx) {
        // The first hop is allowed (loopback is allowed here); the hop it redirects to is checked again.
        server.redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/");
        ImageFetcher fetcher = new ImageFetcher(vertx, LOOPBACK_ALLOWED, AddressPolicy.publicOnly(true),
                ImageFetcher.Resolver.system(vertx));
        ClassifierFailure failure = failureOf(fetcher.fetch(server.url("/to-metadata")));
        assertThat(failure.failure()).isEqualTo(Failure.UNPROCESSABLE);
        assertThat(failure).hasMessageContaining("169.254.169.254 is a link-local address");
    }

    @Test
    void refusesSchemesOtherThanHttpAndCredentials(Vertx vertx) {
        ImageFetcher fetcher = new ImageFetcher(vertx, LOOPBACK_ALLOWED);
        assertThat(failureOf(fetcher.fetch("ftp://127.0.0.1/cat.png")).failure()).isEqualTo(Failure.BAD_REQUEST);
        ClassifierFailure credentials = failureOf(fetcher.fetch("http://user:pass@127.0.0.1:" + server.port() + "/cat.png"));
        assertThat(credentials.failure()).isEqualTo(Failure.BAD_REQUEST);
        assertThat(credentials).hasMessageContaining("user name or password");
        assertThat(failureOf(fetcher.fetch("not a url")).failure()).isEqualTo(Failure.BAD_REQUEST);
    }

    @Test
    void reportsARefusedConnectionAsUnreachable(Vertx vertx) throws Exception {
        try (RefusingPort refusing = new RefusingPort()) {
            ClassifierFailure failure = failureOf(new ImageFetcher(vertx, LOOPBACK_ALLOWED)
                    .fetch("http://127.0.0.1:" + refusing.port() + "/cat.png"));
            assertThat(failure.failure()).isEqualTo(Failure.UNPROCESSABLE);
            assertThat(failure).hasMessageContaining("could not reach host 127.0.0.1");
        }
    }

    @Test
    void refusesPortsOtherThan80And443UnlessConfigured(Vertx vertx) {
        ImageFetcher.Options defaults = ClassifierConfig.from(new io.vertx.core.json.JsonObject()).fetch();
        FetchRefusal refusal = refusalOf(new ImageFetcher(vertx, defaults).fetch(server.url("/cat.png")));
        assertThat(refusal.failure()).isEqualTo(Failure.BAD_REQUEST);
        assertThat(refusal.reason()).isEqualTo(FetchRefusal.PORT);
        assertThat(refusal).hasMessageContaining("port " + server.port()).hasMessageContaining("80 or 443");
    }

    @Test
    void fetchesFromATrustedHostOnAnInternalAddressButChecksWhereItRedirects(Vertx vertx) throws Exception {
        server.redirect("/elsewhere", "http://127.0.0.1:" + server.port() + "/cat.png");
        ImageFetcher.Options trusting = new ImageFetcher.Options(2000, 1000, MAX_BYTES, 3, false,
                List.of(server.port()), List.of("*.images.internal"), 16);
        ImageFetcher fetcher = new ImageFetcher(vertx, trusting, AddressPolicy.publicOnly(false),
                host -> Future.succeededFuture(List.of(LOOPBACK)));

        assertThat(await(fetcher.fetch("http://store.images.internal:" + server.port() + "/cat.png")).getBytes())
                .isEqualTo(picture);
        FetchRefusal untrusted = refusalOf(fetcher.fetch("http://images.internal.evil:" + server.port() + "/cat.png"));
        assertThat(untrusted.reason()).isEqualTo(FetchRefusal.INTERNAL_ADDRESS);
        FetchRefusal redirected = refusalOf(fetcher.fetch("http://store.images.internal:" + server.port()
                + "/elsewhere"));
        assertThat(redirected.reason()).isEqualTo(FetchRefusal.INTERNAL_ADDRESS);
        assertThat(redirected).hasMessageContaining("redirects to a URL that is refused");
    }

    @Test
    void connectsToTheAddressItCheckedWithoutAskingDnsAgain(Vertx vertx) throws Exception {
        // A rebinding DNS server: the checked answer first, the metadata address to every later question.
        AtomicInteger lookups = new AtomicInteger();
        ImageFetcher.Resolver rebinding = host -> Future.succeededFuture(List.of(
                lookups.getAndIncrement() == 0 ? LOOPBACK : ip("169.254.169.254")));
        List<String> hostHeaders = new CopyOnWriteArrayList<>();
        server.on("/seen.png", request -> {
            hostHeaders.add(request.authority().toString());
            request.response().end(Buffer.buffer(picture));
        });
        ImageFetcher fetcher = new ImageFetcher(vertx, LOOPBACK_ALLOWED, AddressPolicy.publicOnly(true), rebinding);

        Buffer body = await(fetcher.fetch("http://rebind.test:" + server.port() + "/seen.png"));

        // rebind.test is unknown to the system resolver: the connection went to the address checked above.
        assertThat(body.getBytes()).isEqualTo(picture);
        assertThat(lookups).hasValue(1);
        assertThat(hostHeaders).containsExactly("rebind.test:" + server.port());
    }

    @Test
    void checksTheAnswerOfEachRedirectHopSoRebindingBetweenHopsIsRefused(Vertx vertx) {
        AtomicInteger lookups = new AtomicInteger();
        ImageFetcher.Resolver rebinding = host -> Future.succeededFuture(List.of(
                lookups.getAndIncrement() == 0 ? LOOPBACK : ip("169.254.169.254")));
        ImageFetcher fetcher = new ImageFetcher(vertx, LOOPBACK_ALLOWED, AddressPolicy.publicOnly(true), rebinding);

        FetchRefusal refusal = refusalOf(fetcher.fetch("http://rebind.test:" + server.port() + "/r1"));

        assertThat(refusal.reason()).isEqualTo(FetchRefusal.INTERNAL_ADDRESS);
        assertThat(refusal).hasMessageContaining("169.254.169.254");
        assertThat(lookups).hasValue(2);
    }

    @Test
    void refusesAHostWithOnePublicAndOnePrivateAddress(Vertx vertx) {
        ImageFetcher.Resolver mixed = host -> Future.succeededFuture(List.of(
                ip("93.184.215.14"), ip("10.0.0.7")));
        ImageFetcher fetcher = new ImageFetcher(vertx, options(false, 1000), AddressPolicy.publicOnly(false), mixed);

        FetchRefusal refusal = refusalOf(fetcher.fetch("http://mixed.test/cat.png"));

        assertThat(refusal.failure()).isEqualTo(Failure.UNPROCESSABLE);
        assertThat(refusal).hasMessageContaining("10.0.0.7 is a private address");
    }

    @Test
    void refusesARedirectLoop(Vertx vertx) {
        server.redirect("/loop", "/loop");
        FetchRefusal refusal = refusalOf(new ImageFetcher(vertx, LOOPBACK_ALLOWED).fetch(server.url("/loop")));
        assertThat(refusal.reason()).isEqualTo(FetchRefusal.REDIRECTS);
        assertThat(server.hits("/loop")).isEqualTo(4);
    }

    @Test
    void neverReadsMoreThanAContentLengthThatUnderstatesTheBody(Vertx vertx) throws Exception {
        // Announces 100 bytes, then sends twice the cap: the client takes the 100 and nothing more.
        int port = rawServer(vertx, socket -> {
            socket.write("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 100\r\n\r\n");
            socket.write(Buffer.buffer(new byte[2 * MAX_BYTES]));
        });
        Buffer body = await(new ImageFetcher(vertx, LOOPBACK_ALLOWED).fetch("http://127.0.0.1:" + port + "/x"));
        assertThat(body.length()).isEqualTo(100);
    }

    @Test
    void reportsABodyShorterThanItsContentLengthAsBrokenOff(Vertx vertx) {
        int port = rawServer(vertx, socket -> socket.end(Buffer.buffer(
                "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\nonly a little")));
        ClassifierFailure failure = failureOf(new ImageFetcher(vertx, LOOPBACK_ALLOWED)
                .fetch("http://127.0.0.1:" + port + "/x"));
        assertThat(failure.failure()).isEqualTo(Failure.BAD_GATEWAY);
        assertThat(failure).hasMessageContaining("broke off");
    }

    @Test
    void aOneBytePerSecondDripEndsInATimeoutAndTheConnectionIsClosed(Vertx vertx) {
        Promise<Void> closed = Promise.promise();
        int port = rawServer(vertx, socket -> {
            socket.closeHandler(v -> closed.tryComplete());
            socket.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
            long timer = vertx.setPeriodic(1000, id -> socket.write(Buffer.buffer(new byte[1])));
            socket.closeHandler(v -> {
                vertx.cancelTimer(timer);
                closed.tryComplete();
            });
        });
        ClassifierFailure failure = failureOf(new ImageFetcher(vertx, options(true, 1500))
                .fetch("http://127.0.0.1:" + port + "/drip"));
        assertThat(failure.failure()).isEqualTo(Failure.TIMEOUT);
        assertThat(failure).hasMessageContaining("within 1500 ms");
        closed.future().await();
    }

    @Test
    void givesUpOnAServerThatAcceptsButNeverSendsHeaders(Vertx vertx) {
        int port = rawServer(vertx, socket -> socket.handler(ignored -> { }));
        ClassifierFailure failure = failureOf(new ImageFetcher(vertx, options(true, 500))
                .fetch("http://127.0.0.1:" + port + "/mute"));
        assertThat(failure.failure()).isEqualTo(Failure.TIMEOUT);
    }

    @Test
    void refusesDownloadsBeyondTheBoundWithUnavailableAndFreesTheSlotAfterwards(Vertx vertx) throws Exception {
        server.on("/silent", request -> { });
        ImageFetcher fetcher = new ImageFetcher(vertx, new ImageFetcher.Options(2000, 500, MAX_BYTES, 3, true,
                List.of(), List.of(), 1));
        Future<Buffer> hanging = fetcher.fetch(server.url("/silent"));

        ClassifierFailure busy = failureOf(fetcher.fetch(server.url("/cat.png")));
        assertThat(busy.failure()).isEqualTo(Failure.UNAVAILABLE);
        assertThat(failureOf(hanging).failure()).isEqualTo(Failure.TIMEOUT);
        assertThat(await(fetcher.fetch(server.url("/cat.png"))).getBytes()).isEqualTo(picture);
    }

    @Test
    void verifiesTheCertificateAgainstTheUrlsHostWhileConnectingToTheCheckedAddress(Vertx vertx) throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
        HttpServer tls = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
                        .setKeyCertOptions(certificate.keyCertOptions()))
                .requestHandler(request -> request.response().end(Buffer.buffer(picture)))
                .listen(0, "127.0.0.1").await();
        // Every name resolves to the server's address; only the certificate tells the names apart.
        // The first TLS connection of a JVM builds its SSL context, seconds on a busy machine: generous limits.
        ImageFetcher.Options patient = new ImageFetcher.Options(10_000, 10_000, MAX_BYTES, 3, true, List.of(),
                List.of(), 16);
        ImageFetcher fetcher = new ImageFetcher(vertx, patient, AddressPolicy.publicOnly(true),
                host -> Future.succeededFuture(List.of(LOOPBACK)), certificate.trustOptions());

        Buffer body = await(fetcher.fetch("https://localhost:" + tls.actualPort() + "/cat.png"));
        ClassifierFailure otherName = failureOf(fetcher.fetch("https://pictures.test:" + tls.actualPort()
                + "/cat.png"));
        ClassifierFailure byAddress = failureOf(fetcher.fetch("https://127.0.0.1:" + tls.actualPort() + "/cat.png"));

        assertThat(body.getBytes()).isEqualTo(picture);
        assertThat(otherName.failure()).isEqualTo(Failure.BAD_GATEWAY);
        assertThat(byAddress.failure()).isEqualTo(Failure.BAD_GATEWAY);
    }

    /** A TCP server on 127.0.0.1 that answers each connection's first bytes with {@code answer}. */
    private static int rawServer(Vertx vertx, Handler<NetSocket> answer) {
        return vertx.createNetServer().connectHandler(socket -> {
            socket.exceptionHandler(ignored -> { });
            socket.handler(first -> {
                socket.handler(ignored -> { });
                answer.handle(socket);
            });
        }).listen(0, "127.0.0.1").await().actualPort();
    }

    static FetchRefusal refusalOf(Future<?> future) {
        ClassifierFailure failure = failureOf(future);
        assertThat(failure).isInstanceOf(FetchRefusal.class);
        return (FetchRefusal) failure;
    }

    /** Any port (the test servers' ports are random), these limits. */
    static ImageFetcher.Options options(boolean allowLoopback, long timeoutMs) {
        return new ImageFetcher.Options(2000, timeoutMs, MAX_BYTES, 3, allowLoopback, List.of(), List.of(), 16);
    }

    static ClassifierFailure failureOf(Future<?> future) {
        try {
            await(future);
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(ClassifierFailure.class);
            return (ClassifierFailure) e.getCause();
        } catch (Exception e) {
            throw new AssertionError("the future did not fail in time", e);
        }
        throw new AssertionError("expected the fetch to fail");
    }
}
