package com.catvsnoncat.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * A PEM private key and certificate chain as read from their files, checked before the server is given them: both
 * parse, the key belongs to the first certificate (a signature made with the key verifies with the certificate's
 * public key) and that certificate has not expired. Vert.x itself accepts a key and a certificate that do not belong
 * together and every handshake then fails; a rotation caught between writing the two files must not do that.
 */
record TlsPair(Buffer key, Buffer cert) {
    /** Key types a server's key manager is asked for, as JSSE names them. */
    private static final String[] KEY_TYPES = {"RSA", "EC", "EdDSA", "Ed25519", "DSA"};

    TlsPair {
        Objects.requireNonNull(key);
        Objects.requireNonNull(cert);
    }

    /** What the server is configured with: the values read, not the paths, so the pair served is the pair checked. */
    PemKeyCertOptions options() {
        return new PemKeyCertOptions().setKeyValue(key).setCertValue(cert);
    }

    /**
     * Blocking (parses keys and signs once): call it off the event loop.
     *
     * @throws IllegalArgumentException naming what is wrong with the pair
     */
    void check(Vertx vertx) {
        X509KeyManager manager;
        try {
            manager = x509(options().getKeyManagerFactory(vertx).getKeyManagers());
        } catch (Exception e) {
            throw new IllegalArgumentException("the key or the certificate is not a PEM file this server can use ("
                    + e.getMessage() + ")", e);
        }
        String alias = Arrays.stream(KEY_TYPES).map(type -> manager.getServerAliases(type, null))
                .filter(Objects::nonNull).flatMap(Arrays::stream).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no private key found in the key file"));
        X509Certificate[] chain = manager.getCertificateChain(alias);
        if (chain == null || chain.length == 0) {
            throw new IllegalArgumentException("no certificate found in the certificate file");
        }
        belongTogether(manager.getPrivateKey(alias), chain[0]);
        try {
            chain[0].checkValidity();
        } catch (CertificateExpiredException e) {
            throw new IllegalArgumentException("the certificate expired on " + chain[0].getNotAfter().toInstant(), e);
        } catch (GeneralSecurityException e) {
            // Not valid yet: a clock a little behind the issuer's; it will be, so it is served.
        }
    }

    private static X509KeyManager x509(KeyManager[] managers) {
        return Arrays.stream(managers).filter(X509KeyManager.class::isInstance).map(X509KeyManager.class::cast)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no X.509 key manager for the pair"));
    }

    private static void belongTogether(PrivateKey key, X509Certificate certificate) {
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> key.getAlgorithm(); // EdDSA, Ed25519, Ed448 sign with their own name
        };
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new IllegalArgumentException("the private key does not belong to the certificate ("
                    + certificate.getSubjectX500Principal().getName() + ")");
        }
    }
}
