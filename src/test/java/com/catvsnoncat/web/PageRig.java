package com.catvsnoncat.web;

import com.catvsnoncat.BlockedThreads;
import com.catvsnoncat.app.Application;
import com.catvsnoncat.app.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * What a page test runs against: the real application on 127.0.0.1 with its weather from a fake Open-Meteo, and a
 * headless Chromium. Closing stops all of it.
 *
 * @param config the application's configuration: the defaults, the loopback server and fake weather, the overrides
 * @param appUrl the page's address, ending with "/"
 */
record PageRig(Vertx vertx, FakeOpenMeteo weatherUpstream, JsonObject config, Application application,
               String appUrl, HeadlessChromium browser) implements AutoCloseable {

    /** @param overrides merged over the test configuration, e.g. {@code {"auth": {...}}} */
    static PageRig start(JsonObject overrides) throws IOException {
        HeadlessChromium.require();
        Vertx vertx = Vertx.vertx(BlockedThreads.vertxOptions());
        try {
            JsonObject defaults = ConfigLoader.defaults();
            FakeOpenMeteo weather = FakeOpenMeteo.start(vertx,
                    defaults.getJsonObject("weather").getJsonArray("cities"));
            JsonObject config = defaults.mergeIn(new JsonObject()
                    .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                    .put("weather", new JsonObject()
                            .put("provider", "open-meteo")
                            .put("openMeteo", new JsonObject().put("baseUrl", weather.baseUrl()))), true)
                    .mergeIn(overrides, true);
            Application application = Application.start(vertx, config).await();
            return new PageRig(vertx, weather, config, application,
                    "http://127.0.0.1:" + application.port() + "/", HeadlessChromium.start());
        } catch (RuntimeException | IOException e) {
            vertx.close().await();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            browser.close();
        } finally {
            application.close().await();
            vertx.close().await();
        }
    }
}
