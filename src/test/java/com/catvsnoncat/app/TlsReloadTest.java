package com.catvsnoncat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.catvsnoncat.BlockedThreads;
import com.catvsnoncat.testing.SelfSignedPem;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A certificate renewed on disk (as cert-manager or a renewed Kubernetes Secret does it) is served to new connections
 * without a restart, over HTTP/2 as before; a pair that cannot be served (a key that does not belong to the
 * certificate, caught half-way through a rotation) is refused, counted, and the server keeps serving the last good
 * pair; and a start with such a pair, or with an expired certificate, fails with the reason instead of failing
 * every handshake.
 */
@Timeout(120)
class TlsReloadTest {
    private static final long RELOAD_MS = 100;
    private static final long DEADLINE_MS = 30_000;

    @TempDir
    Path dir;
    private Vertx vertx;

    @AfterEach
    void stop() {
        if (vertx != null) {
            vertx.close().await();
        }
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestartAndABrokenPairIsRefused() throws Exception {
        SelfSignedPem first = SelfSignedPem.create(Files.createDirectory(dir.resolve("first")));
        SelfSignedPem renewed = SelfSignedPem.create(Files.createDirectory(dir.resolve("renewed")));
        SelfSignedPem other = SelfSignedPem.create(Files.createDirectory(dir.resolve("other")));
        Path key = Files.copy(first.keyPath(), dir.resolve("tls.key"));
        Path cert = Files.copy(first.certPath(), dir.resolve("tls.crt"));
        vertx = MetricsVertx.create(BlockedThreads.vertxOptions());
        int port = RunningApplication.startReady(vertx, config(key, cert),
                WebClient.create(vertx, first.trustingClient())).port();
        assertThat(servedCertificate(port)).isEqualTo(certificate(first.certPath()));

        replace(key, renewed.keyPath());
        replace(cert, renewed.certPath());
        X509Certificate renewedCertificate = certificate(renewed.certPath());
        awaitServed(port, renewedCertificate);
        WebClient http2 = WebClient.create(vertx, renewed.trustingClient()
                .setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true));
        HttpResponse<Buffer> overHttp2 = http2.get(port, "localhost", "/health/ready").send().await();
        assertThat(overHttp2.statusCode()).isEqualTo(200);
        assertThat(overHttp2.version()).as("ALPN still offers h2 after the reload").isEqualTo(HttpVersion.HTTP_2);
        assertThat(reloads(http2, port, "applied")).isEqualTo(1);

        // Half-way through a rotation: the new key is written, the certificate not yet.
        replace(key, other.keyPath());
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (reloads(http2, port, "refused") < 1) {
            assertThat(System.currentTimeMillis()).as("the broken pair refused in time").isLessThan(deadline);
            vertx.timer(RELOAD_MS).await();
        }
        assertThat(servedCertificate(port)).isEqualTo(renewedCertificate);
        assertThat(http2.get(port, "localhost", "/health/ready").send().await().statusCode()).isEqualTo(200);

        replace(cert, other.certPath());
        awaitServed(port, certificate(other.certPath()));
        assertThat(reloads(http2, port, "applied")).isEqualTo(2);
    }

    @Test
    void aStartWithAKeyThatDoesNotBelongToItsCertificateFailsSayingSo() throws Exception {
        SelfSignedPem one = SelfSignedPem.create(Files.createDirectory(dir.resolve("one")));
        SelfSignedPem two = SelfSignedPem.create(Files.createDirectory(dir.resolve("two")));
        vertx = Vertx.vertx(BlockedThreads.vertxOptions());

        assertThatThrownBy(() -> Application.start(vertx, config(one.keyPath(), two.certPath())).await())
                .hasMessageContaining(one.keyPath().toString())
                .hasMessageContaining("the private key does not belong to the certificate");
    }

    @Test
    void aStartWithAnExpiredCertificateFailsSayingSo() throws Exception {
        SelfSignedPem expired = SelfSignedPem.expired(dir);
        vertx = Vertx.vertx(BlockedThreads.vertxOptions());

        assertThatThrownBy(() -> Application.start(vertx, config(expired.keyPath(), expired.certPath())).await())
                .hasMessageContaining(expired.certPath().toString())
                .hasMessageContaining("the certificate expired on");
    }

    private JsonObject config(Path key, Path cert) {
        return ConfigLoader.defaults().mergeIn(ApplicationTestConfig.withModel(dir), true)
                .mergeIn(new JsonObject().put("http", new JsonObject().put("tls", new JsonObject()
                        .put("keyPath", key.toString()).put("certPath", cert.toString())
                        .put("reloadMs", RELOAD_MS))), true);
    }

    /** As a Kubernetes Secret volume changes a file: the new content appears whole, by a rename. */
    private void replace(Path target, Path content) throws Exception {
        Path staged = Files.copy(content, dir.resolve(target.getFileName() + ".new"));
        Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void awaitServed(int port, X509Certificate expected) throws Exception {
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (!servedCertificate(port).equals(expected)) {
            assertThat(System.currentTimeMillis()).as("the new certificate served in time").isLessThan(deadline);
            vertx.timer(RELOAD_MS).await();
        }
    }

    /** The certificate a new connection is shown, whoever signed it. */
    private static X509Certificate servedCertificate(int port) throws Exception {
        AtomicReference<X509Certificate> shown = new AtomicReference<>();
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                shown.set(chain[0]);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
        }
        return shown.get();
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
            return (X509Certificate) certificate;
        }
    }

    private static long reloads(WebClient client, int port, String outcome) {
        String metrics = client.get(port, "localhost", "/metrics").send().await().bodyAsString();
        return metrics.lines().filter(line -> line.startsWith("catvsnoncat_tls_reloads_total{")
                        && line.contains("outcome=\"" + outcome + "\""))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }
}
