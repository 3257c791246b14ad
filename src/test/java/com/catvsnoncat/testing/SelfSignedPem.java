package com.catvsnoncat.testing;

import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for localhost and 127.0.0.1 and its private key, as the PEM files a server is configured
 * with: made by the JDK's own keytool (no test dependency), then written out from its PKCS#12 store.
 *
 * @param keyPath  the private key, PKCS#8 PEM
 * @param certPath the certificate, PEM
 */
public record SelfSignedPem(Path keyPath, Path certPath) {
    private static final String ALIAS = "server";
    private static final char[] PASSWORD = "test-only".toCharArray();

    /** Makes the pair in {@code dir}, valid from now for two days. */
    public static SelfSignedPem create(Path dir) throws IOException, GeneralSecurityException, InterruptedException {
        return create(dir, "-0d", 2);
    }

    /** Makes a pair in {@code dir} whose certificate was valid for a day, three days ago. */
    public static SelfSignedPem expired(Path dir) throws IOException, GeneralSecurityException, InterruptedException {
        return create(dir, "-3d", 1);
    }

    private static SelfSignedPem create(Path dir, String startDate, int validityDays)
            throws IOException, GeneralSecurityException, InterruptedException {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-startdate", startDate,
                "-validity", String.valueOf(validityDays), "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        Path key = Files.writeString(dir.resolve("server.key.pem"),
                pem("PRIVATE KEY", keys.getKey(ALIAS, PASSWORD).getEncoded()));
        Path cert = Files.writeString(dir.resolve("server.cert.pem"),
                pem("CERTIFICATE", keys.getCertificate(ALIAS).getEncoded()));
        return new SelfSignedPem(key, cert);
    }

    /** Web client options of a client that trusts this certificate alone and checks the host name against it. */
    public WebClientOptions trustingClient() {
        return new WebClientOptions().setSsl(true).setTrustOptions(new PemTrustOptions().addCertPath(certPath.toString()))
                .setVerifyHost(true);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
