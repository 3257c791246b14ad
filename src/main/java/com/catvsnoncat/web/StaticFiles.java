package com.catvsnoncat.web;

import com.catvsnoncat.web.StaticContent.Reply;
import com.catvsnoncat.web.StaticContent.Request;
import com.catvsnoncat.web.StaticFile.Representation;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The page and its assets, read once and kept in memory: every file of {@code webroot/} at {@code /}, and the
 * WebJar files the page refers to at {@code /webjars/...}; {@code /docs} leads to the API documentation page.
 *
 * <p>Caching: WebJar paths carry the library's version, so they are cached for {@code web.webjarsMaxAgeSeconds}
 * and marked immutable. The page's own files keep their names from one release to the next, so they are sent with
 * {@code Cache-Control: no-cache}, an ETag and Last-Modified: the browser revalidates each time and gets a 304 when
 * nothing changed.
 */
final class StaticFiles {
    /** Classpath folder of the page. */
    static final String WEBROOT = "webroot";
    /** Classpath folder of every WebJar (the layout the WebJars project uses), without its "/webjars" part. */
    static final String WEBJARS_ROOT = "META-INF/resources";
    static final String DOCS_PATH = "/docs";
    static final String DOCS_PAGE = "/docs.html";
    /** Sent with the page's own files so the browser asks again each time (a 304 when unchanged). */
    static final String REVALIDATE = "no-cache";
    private static final String INDEX = "/index.html";
    /** A WebJar file named in the page's HTML, scripts or styles. */
    private static final Pattern WEBJAR_REFERENCE = Pattern.compile("/webjars/[A-Za-z0-9._/-]+");

    /** By request path; bounded by what the jar holds. */
    private final Map<String, StaticFile> files;

    private StaticFiles(Map<String, StaticFile> files) {
        this.files = Map.copyOf(files);
    }

    /** Reads the webroot and the WebJar files it refers to. Blocking. */
    static StaticFiles load(StaticContent.Options options) {
        Map<String, StaticFile> files = new HashMap<>();
        String immutable = "public, immutable, max-age=" + options.webjarsMaxAgeSeconds();
        sources().forEach(source -> files.put(source.path(), StaticFile.of(source.path(), source.resource().bytes(),
                source.resource().modifiedSecond(), source.webjar() ? immutable : REVALIDATE)));
        return new StaticFiles(files);
    }

    /**
     * A file that is served.
     *
     * @param path   its request path
     * @param webjar from a WebJar (versioned path), rather than the page's own
     */
    record Source(String path, ClasspathFiles.Resource resource, boolean webjar) {
    }

    /** What is served: every file of the webroot, then the WebJar files they refer to. Blocking. */
    static List<Source> sources() {
        List<Source> sources = new ArrayList<>();
        Set<String> webjars = new TreeSet<>();
        ClasspathFiles.folder(WEBROOT).forEach((name, resource) -> {
            sources.add(new Source("/" + name, resource, false));
            Matcher references = WEBJAR_REFERENCE.matcher(new String(resource.bytes(),
                    StandardCharsets.ISO_8859_1));
            while (references.find()) {
                webjars.add(references.group());
            }
        });
        if (sources.stream().noneMatch(source -> source.path().equals(INDEX))) {
            throw new IllegalStateException("no " + WEBROOT + INDEX + " on the classpath");
        }
        for (String path : webjars) {
            ClasspathFiles.Resource resource = ClasspathFiles.file(WEBJARS_ROOT + path).orElseThrow(() ->
                    new IllegalStateException("the page refers to " + path + ", which no WebJar on the classpath has"));
            sources.add(new Source(path, resource, true));
        }
        return sources;
    }

    /** The answer to a GET or HEAD of {@code request.path()}; 404 when there is no such file (folders included). */
    Reply answer(Request request) {
        if (request.path().equals(DOCS_PATH)) {
            return Reply.redirect(DOCS_PAGE);
        }
        StaticFile file = files.get(request.path().equals("/") ? INDEX : request.path());
        if (file == null) {
            return Reply.NOT_FOUND;
        }
        Representation chosen = file.gzip() != null && acceptsGzip(request.acceptEncoding())
                ? file.gzip() : file.identity();
        if (notModified(request, file)) {
            return new Reply(304, chosen.validators(), null);
        }
        return new Reply(200, chosen.headers(), request.head() ? null : chosen.body());
    }

    /** If-None-Match decides when present (either encoding's tag matches); otherwise If-Modified-Since. */
    private static boolean notModified(Request request, StaticFile file) {
        if (request.ifNoneMatch() != null) {
            for (String tag : request.ifNoneMatch().split(",")) {
                String strong = tag.strip().startsWith("W/") ? tag.strip().substring(2) : tag.strip();
                if (strong.equals("*") || strong.equals(file.identity().etag())
                        || file.gzip() != null && strong.equals(file.gzip().etag())) {
                    return true;
                }
            }
            return false;
        }
        if (request.ifModifiedSince() == null) {
            return false;
        }
        try {
            long since = ZonedDateTime.parse(request.ifModifiedSince(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toEpochSecond();
            return file.modifiedSecond() <= since;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** gzip listed in Accept-Encoding and not refused with q=0. */
    private static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
            List<String> parts = List.of(coding.split(";"));
            if (parts.get(0).strip().equals("gzip")) {
                return parts.stream().skip(1).map(String::strip).noneMatch(p -> p.matches("q=0(\\.0*)?"));
            }
        }
        return false;
    }

    /** The paths served, for the log line at start. */
    int size() {
        return files.size();
    }

    /** Bytes held, both encodings. */
    long bytes() {
        return files.values().stream().mapToLong(file -> file.identity().body().length()
                + (file.gzip() == null ? 0 : file.gzip().body().length())).sum();
    }
}
