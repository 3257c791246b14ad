package com.catvsnoncat.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.MimeMapping;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * One file as it is sent: its bytes, a gzip copy when that is smaller (text, scripts, SVG), and the headers of each,
 * computed once. The gzip copy is the build's ({@link StaticPrecompression}) when the classpath has one for this
 * content, else made here: compressing the page's 2.6 MiB at the highest level was most of the static content's
 * start. Immutable, so every event loop may send the same buffers.
 *
 * @param identity       the file as it is
 * @param gzip           the file gzip-compressed, or null when compression does not make it smaller
 * @param modifiedSecond when the file last changed, for Last-Modified and If-Modified-Since
 */
record StaticFile(Representation identity, Representation gzip, long modifiedSecond) {
    /** Classpath folder of the build's gzip copies, each named by the {@link #contentTag} of what it compresses. */
    static final String PRECOMPRESSED = "static-gzip";
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /**
     * One encoding of the file.
     *
     * @param body       what is sent
     * @param headers    the headers of a 200 answer
     * @param validators the headers of a 304 answer (the ones a cache updates its copy with)
     * @param etag       the strong entity tag of this encoding
     */
    record Representation(Buffer body, List<Map.Entry<String, String>> headers,
                          List<Map.Entry<String, String>> validators, String etag) {
    }

    /**
     * @param name         the file's name, for its content type
     * @param bytes        its content
     * @param cacheControl the Cache-Control header sent with it
     */
    static StaticFile of(String name, byte[] bytes, long modifiedSecond, String cacheControl) {
        String contentType = contentType(name);
        String tag = contentTag(bytes);
        byte[] compressed = compressible(name) ? precompressed(tag).orElseGet(() -> gzip(bytes)) : null;
        boolean smaller = compressed != null && compressed.length < bytes.length;
        List<Map.Entry<String, String>> common = new ArrayList<>(List.of(
                Map.entry(HttpHeaders.CACHE_CONTROL.toString(), cacheControl),
                Map.entry(HttpHeaders.LAST_MODIFIED.toString(), HTTP_DATE.format(Instant.ofEpochSecond(modifiedSecond)))));
        if (smaller) {
            common.add(Map.entry(HttpHeaders.VARY.toString(), HttpHeaders.ACCEPT_ENCODING.toString()));
        }
        Representation identity = representation(bytes, contentType, null, "\"" + tag + "\"", common);
        Representation gzip = smaller
                ? representation(compressed, contentType, "gzip", "\"" + tag + "-gzip\"", common) : null;
        return new StaticFile(identity, gzip, modifiedSecond);
    }

    private static Representation representation(byte[] bytes, String contentType, String encoding, String etag,
                                                 List<Map.Entry<String, String>> common) {
        List<Map.Entry<String, String>> validators = new ArrayList<>(common);
        validators.add(Map.entry(HttpHeaders.ETAG.toString(), etag));
        List<Map.Entry<String, String>> headers = new ArrayList<>(validators);
        headers.add(Map.entry(HttpHeaders.CONTENT_TYPE.toString(), contentType));
        headers.add(Map.entry(HttpHeaders.CONTENT_LENGTH.toString(), Integer.toString(bytes.length)));
        if (encoding != null) {
            headers.add(Map.entry(HttpHeaders.CONTENT_ENCODING.toString(), encoding));
        }
        return new Representation(Buffer.buffer(bytes), List.copyOf(headers), List.copyOf(validators), etag);
    }

    private static String contentType(String name) {
        String type = MimeMapping.mimeTypeForFilename(name);
        if (type == null) {
            return "application/octet-stream";
        }
        return type.startsWith("text/") ? type + ";charset=UTF-8" : type;
    }

    /** Text formats; pictures, fonts and archives are compressed already. */
    static boolean compressible(String name) {
        String contentType = contentType(name);
        return contentType.startsWith("text/") || contentType.contains("javascript") || contentType.contains("json")
                || contentType.contains("xml");
    }

    /** The build's gzip copy of the content with this tag, if the classpath has one. */
    private static Optional<byte[]> precompressed(String tag) {
        try (InputStream in = StaticFile.class.getClassLoader().getResourceAsStream(precompressedName(tag))) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The classpath name of the gzip copy of the content with this tag. */
    static String precompressedName(String tag) {
        return PRECOMPRESSED + "/" + tag + ".gz";
    }

    /** The highest level: it is paid once, and every answer after that is smaller for it. */
    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The first 16 bytes of the content's SHA-256, in hex: changes whenever the content does. */
    static String contentTag(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
