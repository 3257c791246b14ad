package com.catvsnoncat.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.junit5.VertxExtension;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ImageFetcherTest {
    private static final int MAX_BYTES = 64 * 1024;
    private static final ImageFetcher.Options LOOPBACK_ALLOWED =
            new ImageFetcher.Options(2000, 1000, MAX_BYTES, 3, true);

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
        ImageFetcher.Options strict = new ImageFetcher.Options(2000, 1000, MAX_BYTES, 3, false);
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
        int closedPort = await(vertx.createHttpServer().requestHandler(r -> { }).listen(0, "127.0.0.1")
                .compose(s -> s.close().map(s.actualPort())));
        ClassifierFailure failure = failureOf(new ImageFetcher(vertx, LOOPBACK_ALLOWED)
                .fetch("http://127.0.0.1:" + closedPort + "/cat.png"));
        assertThat(failure.failure()).isEqualTo(Failure.UNPROCESSABLE);
        assertThat(failure).hasMessageContaining("could not reach host 127.0.0.1");
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
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
