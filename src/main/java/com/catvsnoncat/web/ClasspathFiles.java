package com.catvsnoncat.web;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.MimeMapping;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The files of one classpath folder, answered from memory: each is read from the jar once, on a worker thread,
 * and kept. Vert.x's {@code StaticHandler} instead copies every classpath file it serves into a file cache on disk,
 * which needs a writable directory (the image's root filesystem is read-only) and leaves files behind after a
 * crash. Only GET and HEAD are answered; anything not found (folders included) goes to the next handler.
 */
public final class ClasspathFiles implements Handler<RoutingContext> {
    private static final String INDEX = "index.html";
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** A file's bytes and the headers they are sent with. */
    private record File(Buffer content, String contentType, long modifiedSecond) {
    }

    private final String folder;
    private final String urlPrefix;
    private final String cacheControl;
    /** Bounded by the folder's content: only files that exist are kept. */
    private final ConcurrentMap<String, File> files = new ConcurrentHashMap<>();

    /**
     * @param folder       the classpath folder, e.g. {@code webroot}
     * @param urlPrefix    the part of the path in front of the file's name in the folder ("" or e.g. "/webjars")
     * @param cacheControl the Cache-Control header sent with every file
     */
    public ClasspathFiles(String folder, String urlPrefix, String cacheControl) {
        this.folder = folder;
        this.urlPrefix = urlPrefix;
        this.cacheControl = cacheControl;
    }

    @Override
    public void handle(RoutingContext context) {
        HttpMethod method = context.request().method();
        Optional<String> name = method == HttpMethod.GET || method == HttpMethod.HEAD
                ? resourceName(context) : Optional.empty();
        if (name.isEmpty()) {
            context.next();
            return;
        }
        File known = files.get(name.get());
        if (known != null) {
            send(context, known);
            return;
        }
        context.vertx().executeBlocking(() -> read(name.get()), false).onComplete(read -> {
            if (read.failed()) {
                context.fail(read.cause());
            } else if (read.result().isEmpty()) {
                context.next();
            } else {
                files.putIfAbsent(name.get(), read.result().get());
                send(context, read.result().get());
            }
        });
    }

    /** The classpath name the request's path stands for, or empty when it can only be a folder or is outside. */
    private Optional<String> resourceName(RoutingContext context) {
        String path = context.normalizedPath();
        String mount = context.mountPoint();
        if (mount != null && !mount.equals("/")) {
            String trimmed = mount.endsWith("/") ? mount.substring(0, mount.length() - 1) : mount;
            path = path.startsWith(trimmed) ? path.substring(trimmed.length()) : path;
        }
        if (!path.startsWith(urlPrefix + "/")) {
            return Optional.empty();
        }
        String relative = path.substring(urlPrefix.length() + 1);
        if (relative.isEmpty() && urlPrefix.isEmpty()) {
            relative = INDEX;
        }
        // normalizedPath has already removed dot segments; anything still odd is refused rather than resolved.
        if (relative.isEmpty() || relative.endsWith("/") || relative.contains("..") || relative.contains("//")
                || relative.indexOf('\\') >= 0 || relative.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        return Optional.of(folder + "/" + relative);
    }

    /** The file, or empty when there is none or it is a folder. Blocking: reads the jar. */
    private static Optional<File> read(String name) {
        URL url = ClasspathFiles.class.getClassLoader().getResource(name);
        if (url == null) {
            return Optional.empty();
        }
        try {
            URLConnection connection = url.openConnection();
            if (isFolder(url, connection)) {
                return Optional.empty();
            }
            byte[] bytes;
            try (InputStream in = connection.getInputStream()) {
                bytes = in.readAllBytes();
            }
            return Optional.of(new File(Buffer.buffer(bytes), contentType(name),
                    connection.getLastModified() / 1000));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isFolder(URL url, URLConnection connection) throws IOException {
        if (connection instanceof JarURLConnection jar) {
            return jar.getJarEntry() == null || jar.getJarEntry().isDirectory();
        }
        if ("file".equals(url.getProtocol())) {
            try {
                return !Files.isRegularFile(Path.of(url.toURI()));
            } catch (URISyntaxException e) {
                return true;
            }
        }
        return false;
    }

    private static String contentType(String name) {
        String type = MimeMapping.mimeTypeForFilename(name);
        if (type == null) {
            return "application/octet-stream";
        }
        return type.startsWith("text/") ? type + ";charset=UTF-8" : type;
    }

    private void send(RoutingContext context, File file) {
        HttpServerResponse response = context.response()
                .putHeader(HttpHeaders.CACHE_CONTROL, cacheControl)
                .putHeader(HttpHeaders.LAST_MODIFIED, HTTP_DATE.format(Instant.ofEpochSecond(file.modifiedSecond)));
        if (notModifiedSince(context.request().getHeader(HttpHeaders.IF_MODIFIED_SINCE), file)) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, file.contentType);
        if (context.request().method() == HttpMethod.HEAD) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(file.content.length())).end();
        } else {
            response.end(file.content);
        }
    }

    private static boolean notModifiedSince(String ifModifiedSince, File file) {
        if (ifModifiedSince == null) {
            return false;
        }
        try {
            long since = ZonedDateTime.parse(ifModifiedSince, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
            return file.modifiedSecond <= since;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
