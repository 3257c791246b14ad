package com.catvsnoncat.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.catvsnoncat.app.ConfigLoader;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class StaticContentTest {
    private static final String BOOTSTRAP_CSS = "/webjars/bootstrap/5.3.8/css/bootstrap.min.css";
    /** src="..." and href="..." in the page, and relative imports / sprite paths in its scripts. */
    private static final Pattern PAGE_REFERENCE = Pattern.compile("(?:src|href)=\"([^\"#:]+)\"");
    private static final Pattern SCRIPT_REFERENCE = Pattern.compile("(?:from '\\./([^']+)'|'(img/[^'#]+))");

    private static final JsonObject DEFAULTS = ConfigLoader.defaults();

    private HttpServer server;
    private WebClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close().await();
        }
    }

    @Test
    void servesThePageAtTheRootForTheBrowserToRevalidate(Vertx vertx) {
        HttpResponse<Buffer> page = get(vertx, DEFAULTS, "/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.getHeader("Content-Type")).startsWith("text/html");
        assertThat(page.getHeader("Cache-Control")).isEqualTo("no-cache");
        assertThat(page.getHeader("Last-Modified")).isNotBlank();
        assertThat(page.bodyAsString()).contains("<title>Cat or not?</title>");
    }

    @Test
    void answersNotModifiedWhenThePageDidNotChange(Vertx vertx) {
        String lastModified = get(vertx, DEFAULTS, "/").getHeader("Last-Modified");

        HttpResponse<Buffer> again = client.get("/")
                .putHeader(HttpHeaders.IF_MODIFIED_SINCE.toString(), lastModified).send().await();

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isNull();
    }

    @Test
    void servesBootstrapFromTheJarAsImmutableForAYearByDefault(Vertx vertx) {
        HttpResponse<Buffer> css = get(vertx, DEFAULTS, BOOTSTRAP_CSS);

        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.getHeader("Content-Type")).startsWith("text/css");
        assertThat(css.getHeader("Cache-Control")).contains("immutable").contains("max-age=31536000");
        assertThat(css.bodyAsString()).contains("Bootstrap  v5.3.8");
    }

    @Test
    void webjarLifetimeComesFromTheWebSectionOfTheConfiguration(Vertx vertx) {
        JsonObject config = DEFAULTS.copy().put("web", new JsonObject().put("webjarsMaxAgeSeconds", 600));

        assertThat(get(vertx, config, BOOTSTRAP_CSS).getHeader("Cache-Control")).contains("max-age=600");
    }

    @Test
    void everyFileThePageAndItsScriptsReferToIsServedWithItsContentType(Vertx vertx) {
        start(vertx, DEFAULTS);
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> toVisit = new ArrayDeque<>(pageReferences(get("/").bodyAsString()));
        while (!toVisit.isEmpty()) {
            String path = toVisit.pop();
            if (!seen.add(path)) {
                continue;
            }
            HttpResponse<Buffer> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.getHeader("Content-Type")).as(path).startsWith(contentTypeOf(path));
            if (path.endsWith(".js")) {
                toVisit.addAll(scriptReferences(response.bodyAsString()));
            }
        }
        assertThat(seen).contains("/js/app.js", "/js/classify.js", "/js/cost-chart.js", "/img/weather-icons.svg",
                BOOTSTRAP_CSS);
    }

    @Test
    void pagesNeedNoUnsafeInlineContentSecurityPolicy(Vertx vertx) {
        start(vertx, DEFAULTS);
        for (String path : List.of("/", "/docs.html")) {
            String page = get(path).bodyAsString();

            assertThat(page).as(path).doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>");
            assertThat(page).as(path).doesNotContainPattern("\\son[a-z]+\\s*=");
            assertThat(page).as(path).doesNotContainPattern("\\sstyle\\s*=");
        }
        assertThat(get("/img/weather-icons.svg").bodyAsString()).doesNotContainPattern("\\sstyle\\s*=");
    }

    @Test
    void unknownFilesAndFoldersAreNotFound(Vertx vertx) {
        assertThat(get(vertx, DEFAULTS, "/missing.html").statusCode()).isEqualTo(404);
        assertThat(get("/js/").statusCode()).isEqualTo(404);
        assertThat(get("/webjars/").statusCode()).isEqualTo(404);
    }

    @Test
    void classpathFilesOutsideTheWebrootAreNotServed(Vertx vertx) {
        assertThat(get(vertx, DEFAULTS, "/config/defaults.json").statusCode()).isEqualTo(404);
        assertThat(get("/webjars/../config/defaults.json").statusCode()).isEqualTo(404);
        assertThat(get("/%2e%2e/config/defaults.json").statusCode()).isNotEqualTo(200);
        assertThat(get("/com/catvsnoncat/web/StaticContent.class").statusCode()).isEqualTo(404);
    }

    @Test
    void sendsTextGzippedWhenTheBrowserAcceptsIt(Vertx vertx) throws IOException {
        byte[] plain = get(vertx, DEFAULTS, "/js/app.js").body().getBytes();

        HttpResponse<Buffer> gzipped = client.get("/js/app.js")
                .putHeader(HttpHeaders.ACCEPT_ENCODING.toString(), "gzip, deflate, br").send().await();

        assertThat(gzipped.statusCode()).isEqualTo(200);
        assertThat(gzipped.getHeader("Content-Encoding")).isEqualTo("gzip");
        assertThat(gzipped.getHeader("Vary")).containsIgnoringCase("Accept-Encoding");
        assertThat(gzipped.body().length()).isLessThan(plain.length);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body().getBytes()))) {
            assertThat(in.readAllBytes()).isEqualTo(plain);
        }
    }

    @Test
    void sendsTheGzipCopyTheBuildMadeForEachTextFileItServes(Vertx vertx) throws IOException {
        start(vertx, DEFAULTS);
        for (String path : List.of("/js/app.js", "/index.html", BOOTSTRAP_CSS)) {
            HttpResponse<Buffer> gzipped = client.get(path)
                    .putHeader(HttpHeaders.ACCEPT_ENCODING.toString(), "gzip").send().await();
            String etag = gzipped.getHeader("ETag");
            String tag = etag.substring(1, etag.length() - "-gzip\"".length());

            try (InputStream copy = getClass().getClassLoader().getResourceAsStream(
                    StaticFile.PRECOMPRESSED + "/" + tag + ".gz")) {
                assertThat(copy).as("the build's gzip copy of " + path).isNotNull();
                assertThat(gzipped.body().getBytes()).as(path).isEqualTo(copy.readAllBytes());
            }
        }
    }

    @Test
    void compressesAtStartWhatTheBuildMadeNoCopyOf() throws IOException {
        byte[] script = "const changedSinceTheBuild = 'yes';\n".repeat(50).getBytes(StandardCharsets.UTF_8);

        StaticFile file = StaticFile.of("/js/new.js", script, 0, StaticFiles.REVALIDATE);

        assertThat(file.gzip()).isNotNull();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(file.gzip().body().getBytes()))) {
            assertThat(in.readAllBytes()).isEqualTo(script);
        }
    }

    @Test
    void picturesAreSentAsTheyAre(Vertx vertx) {
        HttpResponse<Buffer> picture = get(vertx, DEFAULTS, "/examples/cat-test-000.png", "gzip");

        assertThat(picture.statusCode()).isEqualTo(200);
        assertThat(picture.getHeader("Content-Type")).isEqualTo("image/png");
        assertThat(picture.getHeader("Content-Encoding")).isNull();
    }

    @Test
    void answersNotModifiedToTheEntityTagItGave(Vertx vertx) {
        String plainTag = get(vertx, DEFAULTS, "/css/app.css").getHeader("ETag");
        String gzipTag = client.get("/css/app.css").putHeader(HttpHeaders.ACCEPT_ENCODING.toString(), "gzip")
                .send().await().getHeader("ETag");

        HttpResponse<Buffer> again = client.get("/css/app.css")
                .putHeader(HttpHeaders.IF_NONE_MATCH.toString(), gzipTag).send().await();
        HttpResponse<Buffer> other = client.get("/css/app.css")
                .putHeader(HttpHeaders.IF_NONE_MATCH.toString(), "\"something-else\"").send().await();

        assertThat(plainTag).startsWith("\"").endsWith("\"").isNotEqualTo(gzipTag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.getHeader("ETag")).isEqualTo(plainTag);
        assertThat(again.body()).isNull();
        assertThat(other.statusCode()).isEqualTo(200);
    }

    @Test
    void headAnswersTheHeadersOfAGet(Vertx vertx) {
        HttpResponse<Buffer> got = get(vertx, DEFAULTS, BOOTSTRAP_CSS);

        HttpResponse<Buffer> head = client.head(BOOTSTRAP_CSS).send().await();

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.getHeader("Content-Length")).isEqualTo(Integer.toString(got.body().length()));
        assertThat(head.getHeader("ETag")).isEqualTo(got.getHeader("ETag"));
        assertThat(head.body()).isNull();
    }

    @Test
    void onlyTheWebjarFilesThePageUsesAreServed(Vertx vertx) {
        assertThat(get(vertx, DEFAULTS, BOOTSTRAP_CSS).statusCode()).isEqualTo(200);
        assertThat(get("/webjars/bootstrap/5.3.8/js/bootstrap.bundle.min.js").statusCode()).isEqualTo(404);
    }

    @Test
    void answersOnTheEventBus(Vertx vertx) {
        start(vertx, DEFAULTS);

        StaticContent.Reply reply = vertx.eventBus().<StaticContent.Reply>request(StaticContent.ADDRESS,
                new StaticContent.Request("/", false, null, null, null)).await().body();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().toString()).contains("<title>Cat or not?</title>");
    }

    @Test
    void rejectsAMissingOrInvalidWebjarLifetime() {
        assertThatThrownBy(() -> StaticContent.Options.from(new JsonObject()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("web.webjarsMaxAgeSeconds");
        assertThatThrownBy(() -> StaticContent.Options.from(new JsonObject().put("web",
                new JsonObject().put("webjarsMaxAgeSeconds", "a year"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("web.webjarsMaxAgeSeconds");
        assertThatThrownBy(() -> StaticContent.Options.from(new JsonObject().put("webjarsMaxAgeSeconds", -1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 0");
    }

    private HttpResponse<Buffer> get(Vertx vertx, JsonObject config, String path) {
        start(vertx, config);
        return get(path);
    }

    /** The static-content service with this configuration, behind an HTTP server that hands it its GETs. */
    private void start(Vertx vertx, JsonObject config) {
        vertx.deployVerticle(new StaticContentVerticle(), new DeploymentOptions().setConfig(config)).await();
        server = vertx.createHttpServer().requestHandler(StaticContent.router(vertx))
                .listen(0, "127.0.0.1").await();
        client = WebClient.create(vertx, new WebClientOptions()
                .setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
    }

    private HttpResponse<Buffer> get(Vertx vertx, JsonObject config, String path, String acceptEncoding) {
        start(vertx, config);
        return client.get(path).putHeader(HttpHeaders.ACCEPT_ENCODING.toString(), acceptEncoding).send().await();
    }

    private HttpResponse<Buffer> get(String path) {
        return client.get(path).send().await();
    }

    /** Root-relative paths of src="..." and href="..." in the page. */
    private static Set<String> pageReferences(String html) {
        Set<String> paths = new LinkedHashSet<>();
        Matcher matcher = PAGE_REFERENCE.matcher(html);
        while (matcher.find()) {
            String reference = matcher.group(1);
            paths.add(reference.startsWith("/") ? reference : "/" + reference);
        }
        return paths;
    }

    /** Modules a script imports (siblings in /js/) and page-relative image paths it uses. */
    private static Set<String> scriptReferences(String script) {
        Set<String> paths = new LinkedHashSet<>();
        Matcher matcher = SCRIPT_REFERENCE.matcher(script);
        while (matcher.find()) {
            paths.add(matcher.group(1) != null ? "/js/" + matcher.group(1) : "/" + matcher.group(2));
        }
        return paths;
    }

    private static String contentTypeOf(String path) {
        if (path.endsWith(".js")) {
            return "text/javascript";
        }
        if (path.endsWith(".css")) {
            return "text/css";
        }
        if (path.endsWith(".svg")) {
            return "image/svg+xml";
        }
        if (path.endsWith(".png")) {
            return "image/png";
        }
        return "text/html";
    }
}
