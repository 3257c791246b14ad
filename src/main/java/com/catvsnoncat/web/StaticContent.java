package com.catvsnoncat.web;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * The page and its assets, from the jar and kept in memory ({@link ClasspathFiles}): {@code webroot/} at {@code /}
 * and the Bootstrap and Swagger UI WebJars at {@code /webjars/...}; {@code /docs} leads to the API documentation
 * page. The gateway's HTTP server mounts {@link #router} at "/" after its API routes; compression is the server's
 * ({@code HttpServerOptions.setCompressionSupported}).
 *
 * <p>Caching: WebJar paths carry the library's version, so they are cached for {@code web.webjarsMaxAgeSeconds}
 * and marked immutable. The page's own files keep their names from one release to the next, so they are sent with
 * {@code Cache-Control: no-cache} and {@code Last-Modified}: the browser revalidates each time and gets a 304 when
 * nothing changed.
 */
public final class StaticContent {
    /** Classpath folder of the page. */
    public static final String WEBROOT = "webroot";
    /** Classpath folder of every WebJar (the layout the WebJars project uses). */
    public static final String WEBJARS = "META-INF/resources/webjars";
    static final String WEBJARS_PREFIX = "/webjars";
    public static final String WEBJARS_ROUTE = WEBJARS_PREFIX + "/*";
    static final String DOCS_PATH = "/docs";
    static final String DOCS_PAGE = "/docs.html";
    /** Sent with the page's own files so the browser asks again each time (a 304 when unchanged). */
    static final String REVALIDATE = "no-cache";

    private StaticContent() {
    }

    /**
     * @param config the application configuration (its "web" section is used) or the section itself
     */
    public static Router router(Vertx vertx, JsonObject config) {
        Options options = Options.from(config);
        Router router = Router.router(vertx);
        router.route(WEBJARS_ROUTE).handler(new ClasspathFiles(WEBJARS, WEBJARS_PREFIX,
                "public, immutable, max-age=" + options.webjarsMaxAgeSeconds()));
        // The API documentation: Swagger UI (a WebJar) reading /openapi.yaml.
        router.get(DOCS_PATH).handler(context -> context.redirect(DOCS_PAGE));
        router.route().handler(new ClasspathFiles(WEBROOT, "", REVALIDATE));
        return router;
    }

    /**
     * The "web" section of the configuration (defaults in {@code config/defaults.json}).
     *
     * @param webjarsMaxAgeSeconds how long browsers and proxies may keep a WebJar file without asking again
     */
    public record Options(long webjarsMaxAgeSeconds) {
        public static final String SECTION = "web";

        public Options {
            if (webjarsMaxAgeSeconds < 0) {
                throw new IllegalArgumentException(SECTION + ".webjarsMaxAgeSeconds must be >= 0, is "
                        + webjarsMaxAgeSeconds);
            }
        }

        /** @param config the application configuration, or its "web" section */
        public static Options from(JsonObject config) {
            JsonObject section = config.getValue(SECTION) instanceof JsonObject nested ? nested : config;
            Object maxAge = section.getValue("webjarsMaxAgeSeconds");
            if (!(maxAge instanceof Number number) || number.doubleValue() != number.longValue()) {
                throw new IllegalArgumentException(SECTION + ".webjarsMaxAgeSeconds must be a whole number of "
                        + "seconds, is " + maxAge);
            }
            return new Options(number.longValue());
        }
    }
}
