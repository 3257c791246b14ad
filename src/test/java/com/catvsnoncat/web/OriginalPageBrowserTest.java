package com.catvsnoncat.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.ReferenceData;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The original system's page, unchanged in its calls and checks (src/test/resources/original-page), in front of
 * this application as an Ingress would put it: one origin serving the page and passing /web/cat and /weather to the
 * application. It must show the worker's message, "Error: status, message" for a bad URL, and the five cities'
 * weather with temperatures to one decimal.
 */
class OriginalPageBrowserTest extends BrowserPageTest {

    private HttpServer ingress;
    private HttpServer pictures;
    private String pageUrl;

    @BeforeAll
    void start() throws IOException {
        HeadlessChromium.require();
        startRig(new JsonObject().put("classifier", new JsonObject()
                .put("fetch", new JsonObject().put("allowLoopback", true).put("allowedPorts", new JsonArray()))));
        Vertx vertx = rig.vertx();
        Buffer cat = Buffer.buffer(Files.readAllBytes(ReferenceData.dir().resolve("images/test/cat/test-001.png")));
        pictures = vertx.createHttpServer().requestHandler(request -> {
            if (request.path().equals("/pets/tabby.png")) {
                request.response().putHeader("Content-Type", "image/png").end(cat);
            } else {
                request.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").await();
        ingress = startIngress(vertx, WebClient.create(vertx), originalPage());
        pageUrl = "http://127.0.0.1:" + ingress.actualPort() + "/";
    }

    @BeforeEach
    void openThePage() {
        driver.get(pageUrl);
        wait.until(ExpectedConditions.titleIs("CatVsNonCat (original)"));
    }

    @Test
    void showsTheWorkersMessageForAPictureUrl() {
        String url = "http://127.0.0.1:" + pictures.actualPort() + "/pets/tabby.png";

        driver.findElement(By.id("cat_url")).sendKeys(url);
        driver.findElement(By.id("submit")).click();

        String result = waitForResult();
        assertThat(result).matches("\\d+-layer model predicts a \"(cat|non-cat)\" : tabby\\.png");
        assertThat(result).doesNotContain("status:", "undefined");
    }

    @Test
    void showsTheStatusAndTheServersMessageForAnInvalidUrl() {
        driver.findElement(By.id("cat_url")).sendKeys("not a url");
        driver.findElement(By.id("submit")).click();

        String result = waitForResult();
        assertThat(result).startsWith("Error: 400, ").doesNotContain("undefined");
        assertThat(result.substring("Error: 400, ".length())).isNotBlank();
    }

    @Test
    void showsTheFiveCitiesWeatherSortedByNameAsTheOriginalDid() {
        wait.until(ExpectedConditions.attributeToBe(By.id("weather"), "data-loaded", "true"));

        List<WebElement> rows = driver.findElements(By.cssSelector("#weather tr"));

        List<FakeOpenMeteo.City> cities = rig.weatherUpstream().cities().stream()
                .sorted(Comparator.comparing(FakeOpenMeteo.City::name)).toList();
        assertThat(rows).hasSize(cities.size());
        for (int i = 0; i < rows.size(); i++) {
            List<WebElement> cells = rows.get(i).findElements(By.tagName("td"));
            FakeOpenMeteo.City city = cities.get(i);
            assertThat(cells.get(0).getText()).isEqualTo(city.name());
            assertThat(cells.get(1).getText()).isEqualTo(String.format(Locale.ROOT, "%.1f °C", city.temperature()));
            assertThat(cells.get(2).getText()).isEqualTo(city.humidity() + " %");
            assertThat(cells.get(3).getText()).as("an OpenWeatherMap icon code").matches("\\d\\d[dn]");
        }
    }

    private String waitForResult() {
        wait.until(driver -> !driver.findElement(By.id("result")).getText().isBlank());
        return driver.findElement(By.id("result")).getText();
    }

    private static Buffer originalPage() throws IOException {
        try (InputStream in = OriginalPageBrowserTest.class.getResourceAsStream("/original-page/index.html")) {
            return Buffer.buffer(in.readAllBytes());
        }
    }

    /** The original's nginx: its page at "/", and /web/cat and /weather passed on to the application. */
    private HttpServer startIngress(Vertx vertx, WebClient client, Buffer page) {
        return vertx.createHttpServer().requestHandler(request -> {
            if (request.path().equals("/")) {
                request.response().putHeader("Content-Type", "text/html; charset=utf-8").end(page);
            } else if (request.path().equals("/web/cat") || request.path().equals("/weather")) {
                pass(request, client);
            } else {
                request.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").await();
    }

    private void pass(HttpServerRequest request, WebClient client) {
        request.body().compose(body -> {
            var upstream = client.request(request.method(), rig.application().port(), "127.0.0.1", request.uri());
            String type = request.getHeader("Content-Type");
            if (type != null) {
                upstream.putHeader("Content-Type", type);
            }
            return upstream.sendBuffer(body);
        }).onSuccess((HttpResponse<Buffer> answer) -> {
            HttpServerResponse response = request.response().setStatusCode(answer.statusCode());
            String type = answer.getHeader("Content-Type");
            if (type != null) {
                response.putHeader("Content-Type", type);
            }
            Buffer body = answer.bodyAsBuffer();
            response.end(body == null ? Buffer.buffer() : body);
        }).onFailure(failure -> request.response().setStatusCode(502).end());
    }
}
