package com.catvsnoncat.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.ReferenceData;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The page end to end in Debian's headless Chromium, against the real application: the weather comes from a fake
 * Open-Meteo on 127.0.0.1 and pictures by URL from an image server on 127.0.0.1. Expected labels are what the
 * application's own API answers for the same picture, so the test checks the page, not the model.
 */
class PageBrowserTest extends BrowserPageTest {

    private Vertx vertx;
    private WebClient client;
    private FakeOpenMeteo weatherUpstream;
    private HttpServer imageServer;
    private JsonObject config;
    private String appUrl;
    private Path catPicture;
    /** The browser's profile and files the test uploads; deleted at the end. */
    private Path workDir;

    @BeforeAll
    void start() throws IOException {
        HeadlessChromium.require();
        catPicture = firstPng(ReferenceData.dir().resolve("images/test/cat"));
        startRig(new JsonObject().put("classifier", new JsonObject()
                .put("fetch", new JsonObject().put("allowLoopback", true).put("allowedPorts", new JsonArray()))));
        vertx = rig.vertx();
        client = WebClient.create(vertx);
        weatherUpstream = rig.weatherUpstream();
        imageServer = startImageServer();
        config = rig.config();
        appUrl = rig.appUrl();
        workDir = rig.browser().workDir();
    }

    @BeforeEach
    void openThePage() {
        driver.get(appUrl);
        wait.until(ExpectedConditions.titleIs("Cat or not?"));
    }

    /** On a failure, what the page showed goes to the test log: CI keeps no browser to look at. */
    @RegisterExtension
    final TestWatcher pageOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (driver != null) {
                System.err.println("Page text when " + context.getDisplayName() + " failed:\n"
                        + driver.findElement(By.tagName("body")).getText());
            }
        }
    };

    @Test
    void showsTheLabelTheApiGivesForAnUploadedCatPicture() throws IOException {
        JsonObject expected = classifyBytes(Files.readAllBytes(catPicture));

        driver.findElement(By.id("file-input")).sendKeys(catPicture.toString());

        WebElement label = waitForLabel();
        assertThat(label.getDomAttribute("data-label")).isEqualTo(expected.getString("label"));
        assertThat(label.getText()).isEqualTo(expected.getString("label").equals("cat") ? "Cat" : "Not a cat");
        assertThat(text("result-probability-text")).matches("\\d{1,3}\\.\\d %");
        assertThat(text("result-timings")).startsWith("Answered in");
        assertThat(driver.findElement(By.id("result-picture")).getDomProperty("src")).startsWith("blob:");
        assertThat(text("status")).contains("probability of a cat");
    }

    @Test
    void answersWithTheModelPickedAmongTheLoadedOnesAndSaysWhichAnswered() throws IOException {
        JsonObject models = client.getAbs(appUrl + "api/models").send().await().bodyAsJsonObject();
        HttpResponse<Buffer> api = client.postAbs(appUrl + "api/classify?model=catvnoncat-pixels&version=1")
                .putHeader("Content-Type", "image/png").sendBuffer(Buffer.buffer(Files.readAllBytes(catPicture)))
                .await();
        assertThat(api.statusCode()).as(api.bodyAsString()).isEqualTo(200);
        JsonObject expected = api.bodyAsJsonObject();

        Select picker = new Select(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("model-select"))));
        List<String> choices = picker.getOptions().stream().map(WebElement::getText).toList();
        assertThat(choices).hasSize(1 + models.getJsonArray("models").size())
                .contains("Default (catvnoncat)", "catvnoncat, version 1", "catvnoncat-pixels, version 1");
        picker.selectByVisibleText("catvnoncat-pixels, version 1");
        wait.until(d -> text("model-features").contains("pixels"));
        driver.findElement(By.id("file-input")).sendKeys(catPicture.toString());

        wait.until(d -> text("result-model").startsWith("Answered by catvnoncat-pixels, version 1"));
        assertThat(waitForLabel().getDomAttribute("data-label")).isEqualTo(expected.getString("label"));
        assertThat(text("result-probability-text")).isEqualTo(String.format(Locale.ROOT, "%.1f %%",
                expected.getDouble("probability") * 100));
        assertThat(text("result-model")).contains(expected.getJsonObject("model").getString("name"));
    }

    @Test
    void classifiesAnExamplePictureWithOneClickFromTheApplicationAlone() throws IOException {
        List<WebElement> examples = driver.findElements(By.cssSelector("[data-testid=example]"));
        assertThat(examples).as("a few bundled examples").hasSizeBetween(4, 8);
        assertThat(examples).extracting(e -> e.getDomAttribute("aria-label"))
                .anyMatch(label -> label.contains("labelled a cat")).anyMatch(label -> label.contains("not a cat"));
        WebElement second = examples.get(1);
        String path = second.getDomAttribute("data-example");
        HttpResponse<Buffer> picture = client.getAbs(appUrl + path).send().await();
        assertThat(picture.statusCode()).isEqualTo(200);
        JsonObject expected = classifyBytes(picture.bodyAsBuffer().getBytes());

        second.click();

        WebElement label = waitForLabel();
        assertThat(label.getDomAttribute("data-label")).isEqualTo(expected.getString("label"));
        assertThat(text("result-probability-text")).matches("\\d{1,3}\\.\\d %");
        // Every picture on the page came from the application itself: nothing needed the internet.
        for (WebElement image : driver.findElements(By.tagName("img"))) {
            assertThat(image.getDomProperty("src")).as("picture source")
                    .matches("|(blob:)?" + Pattern.quote(appUrl) + ".*|data:.*");
        }
    }

    @Test
    void classifiesAPictureByUrlSubmittedWithTheEnterKey() {
        String url = imageServerUrl("/pictures/cat.png");
        JsonObject expected = classifyUrl(url).bodyAsJsonObject();

        driver.findElement(By.id("url-input")).sendKeys(url + Keys.ENTER);

        assertThat(waitForLabel().getDomAttribute("data-label")).isEqualTo(expected.getString("label"));
        assertThat(naturalWidth(driver.findElement(By.id("result-picture")))).isPositive();
        assertThat(text("result-picture-note")).contains("64 × 64");
    }

    @Test
    void showsTheServersOwnMessageWhenThePictureIsTooLarge() throws IOException {
        byte[] tooLarge = new byte[config.getJsonObject("http").getInteger("bodyLimitBytes") + 1];
        byte[] cat = Files.readAllBytes(catPicture);
        System.arraycopy(cat, 0, tooLarge, 0, cat.length);
        Path file = Files.write(workDir.resolve("too-large.png"), tooLarge);
        HttpResponse<Buffer> answer = client.postAbs(appUrl + "api/classify").putHeader("Content-Type", "image/png")
                .sendBuffer(Buffer.buffer(tooLarge)).await();
        assertThat(answer.statusCode()).isEqualTo(413);

        driver.findElement(By.id("file-input")).sendKeys(file.toString());

        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertThat(error.getText()).contains(answer.bodyAsJsonObject().getString("error"));
    }

    @Test
    void classifiesAPictureDroppedOnThePage() throws IOException {
        byte[] picture = Files.readAllBytes(catPicture);
        JsonObject expected = classifyBytes(picture);

        // WebDriver cannot drag files from the desktop; the page gets the same event a real drop sends.
        ((JavascriptExecutor) driver).executeScript(
                "const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));"
                        + "const data = new DataTransfer();"
                        + "data.items.add(new File([bytes], 'cat.png', {type: 'image/png'}));"
                        + "const zone = document.getElementById('drop-zone');"
                        + "const init = {dataTransfer: data, bubbles: true, cancelable: true};"
                        + "zone.dispatchEvent(new DragEvent('dragover', init));"
                        + "zone.dispatchEvent(new DragEvent('drop', init));",
                Base64.getEncoder().encodeToString(picture));

        assertThat(waitForLabel().getDomAttribute("data-label")).isEqualTo(expected.getString("label"));
    }

    @Test
    void classifiesAnAddressPastedOnThePage() {
        String url = imageServerUrl("/pictures/cat.png");
        JsonObject expected = classifyUrl(url).bodyAsJsonObject();

        ((JavascriptExecutor) driver).executeScript(
                "const data = new DataTransfer();"
                        + "data.setData('text/plain', arguments[0]);"
                        + "const init = {clipboardData: data, bubbles: true, cancelable: true};"
                        + "document.body.dispatchEvent(new ClipboardEvent('paste', init));",
                url);

        assertThat(waitForLabel().getDomAttribute("data-label")).isEqualTo(expected.getString("label"));
        assertThat(driver.findElement(By.id("url-input")).getDomProperty("value")).isEqualTo(url);
    }

    @Test
    void showsTheServersOwnMessageWhenTheUrlIsNotAPicture() {
        String url = imageServerUrl("/notes.txt");
        HttpResponse<Buffer> answer = classifyUrl(url);
        assertThat(answer.statusCode()).isBetween(400, 499);

        driver.findElement(By.id("url-input")).sendKeys(url);
        driver.findElement(By.id("url-submit")).click();

        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertThat(error.getText()).startsWith("Could not classify the picture:")
                .contains(answer.bodyAsJsonObject().getString("error"));
        assertThat(driver.findElement(By.id("result")).isDisplayed()).isFalse();
    }

    @Test
    void explainsWhichPixelsMatteredWhenSaliencyIsSwitchedOn() {
        driver.findElement(By.id("saliency-toggle")).sendKeys(Keys.SPACE);
        driver.findElement(By.id("file-input")).sendKeys(catPicture.toString());

        waitForLabel();
        WebElement overlay = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("saliency-overlay")));
        wait.until(d -> naturalWidth(overlay) > 0);
        assertThat(naturalWidth(driver.findElement(By.id("saliency-picture")))).isEqualTo(64);
    }

    @Test
    void tellsWhatIsWrongWithTextThatIsNotAWebAddress() {
        WebElement input = driver.findElement(By.id("url-input"));
        input.sendKeys("my cat picture" + Keys.ENTER);

        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertThat(error.getText()).contains("is not a web address").contains("http://");
        assertThat(input.getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(driver.switchTo().activeElement()).isEqualTo(input);
    }

    @Test
    void reachesTheClassifierControlsWithTheTabKeyInOrder() {
        driver.findElement(By.id("url-input")).click();
        int examples = driver.findElements(By.cssSelector("[data-testid=example]")).size();
        List<String> reached = new ArrayList<>();
        for (int i = 0; i < 3 + examples; i++) {
            driver.switchTo().activeElement().sendKeys(Keys.TAB);
            WebElement active = driver.switchTo().activeElement();
            reached.add(active.getDomAttribute("id") != null ? active.getDomAttribute("id")
                    : active.getDomAttribute("data-testid"));
        }
        List<String> expected = new ArrayList<>(List.of("url-submit", "file-button"));
        expected.addAll(Collections.nCopies(examples, "example"));
        expected.add("saliency-toggle");
        assertThat(reached).containsExactlyElementsOf(expected);
    }

    @Test
    void loadsWithNothingRefusedByTheContentSecurityPolicyNorAnyScriptError() {
        driver.manage().logs().get(LogType.BROWSER); // forget what earlier tests logged
        driver.navigate().refresh();
        wait.until(ExpectedConditions.numberOfElementsToBe(
                By.cssSelector("[data-testid=weather-city]"), weatherUpstream.cities().size()));
        wait.until(d -> d.findElement(By.id("cost-chart")).getDomAttribute("data-points") != null);

        List<String> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::getMessage).toList();
        assertThat(errors).isEmpty();
    }

    @Test
    void linksToTheApiDocumentationWhichShowsEveryOperationOfTheOpenApiDocument() {
        String yaml = client.getAbs(appUrl + "openapi.yaml").send().await().bodyAsString();
        OpenAPI document = new OpenAPIV3Parser().readContents(yaml, null, null).getOpenAPI();
        long operations = document.getPaths().values().stream().mapToLong(item -> item.readOperations().size()).sum();
        driver.manage().logs().get(LogType.BROWSER); // forget what earlier tests logged

        driver.findElement(By.id("api-docs-link")).sendKeys(Keys.ENTER);

        List<WebElement> shown = wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".opblock"),
                (int) operations));
        assertThat(driver.getCurrentUrl()).isEqualTo(appUrl + "docs.html");
        assertThat(shown).anySatisfy(operation -> assertThat(operation.findElement(
                By.cssSelector(".opblock-summary-path")).getDomAttribute("data-path")).isEqualTo("/api/classify"));
        assertThat(driver.manage().logs().get(LogType.BROWSER).getAll()).filteredOn(entry ->
                entry.getLevel().intValue() >= Level.WARNING.intValue()).isEmpty();
    }

    @Test
    void showsTheWeatherOfEveryCityFromTheUpstream() {
        List<WebElement> cities = wait.until(ExpectedConditions.numberOfElementsToBe(
                By.cssSelector("[data-testid=weather-city]"), weatherUpstream.cities().size()));

        for (FakeOpenMeteo.City city : weatherUpstream.cities()) {
            WebElement item = cities.stream()
                    .filter(e -> city.name().equals(e.getDomAttribute("data-city"))).findFirst().orElseThrow();
            assertThat(item.findElement(By.cssSelector("[data-testid=weather-temperature]")).getText())
                    .isEqualTo(String.format(Locale.ROOT, "%.1f °C", city.temperature()));
            assertThat(item.findElement(By.cssSelector("[data-testid=weather-humidity]")).getText())
                    .isEqualTo("humidity " + city.humidity() + " %");
            assertThat(item.findElement(By.cssSelector(".weather-icon use")).getDomAttribute("href"))
                    .endsWith("#" + city.icon());
        }
        assertThat(text("weather-summary"))
                .contains(cities.size() + " cities fetched in")
                .contains("at most " + config.getJsonObject("weather").getInteger("concurrency") + " at once")
                .contains("open-meteo");
    }

    @Test
    void showsTheModelCardWithLayersAccuraciesAndTheDrawnCostCurve() {
        JsonObject model = client.getAbs(appUrl + "api/model").send().await().bodyAsJsonObject();
        JsonArray layers = model.getJsonArray("layers");

        List<WebElement> shown = wait.until(ExpectedConditions.numberOfElementsToBe(
                By.cssSelector("[data-testid=model-layer]"), layers.size()));
        for (int i = 0; i < layers.size(); i++) {
            assertThat(shown.get(i).getText().replace(",", "")).startsWith(layers.getInteger(i) + " ");
        }
        assertThat(text("model-name")).contains(model.getString("version"));
        JsonObject features = model.getJsonObject("features");
        if (features != null) {
            assertThat(text("model-features")).contains(features.getString("extractor"))
                    .contains(features.getInteger("inputSize") + "×" + features.getInteger("inputSize"))
                    .contains(features.getString("sha256").substring(0, 12));
        } else {
            assertThat(text("model-features")).contains("pixels");
        }
        WebElement chart = driver.findElement(By.id("cost-chart"));
        wait.until(d -> chart.getDomAttribute("data-points") != null);
        assertThat(chart.getDomAttribute("data-points"))
                .isEqualTo(String.valueOf(model.getJsonArray("costs", new JsonArray()).size()));
        assertThat(paintedPixels(chart)).isGreaterThan(1000);
        if (model.getJsonObject("accuracy", new JsonObject()).containsKey("test")) {
            assertThat(driver.findElement(By.cssSelector("#model-accuracy [data-split=test]")).getText())
                    .matches("\\d{1,3}\\.\\d %");
        }
    }

    private WebElement waitForLabel() {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("result-label")));
    }

    private String text(String id) {
        return driver.findElement(By.id(id)).getDomProperty("textContent").trim();
    }

    private long naturalWidth(WebElement image) {
        return ((Number) ((JavascriptExecutor) driver).executeScript("return arguments[0].naturalWidth;", image))
                .longValue();
    }

    /** Pixels of the canvas that are not transparent. */
    private long paintedPixels(WebElement canvas) {
        return ((Number) ((JavascriptExecutor) driver).executeScript(
                "const c = arguments[0];"
                        + "const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                        + "let painted = 0;"
                        + "for (let i = 3; i < data.length; i += 4) { if (data[i] !== 0) painted++; }"
                        + "return painted;", canvas)).longValue();
    }

    private JsonObject classifyBytes(byte[] picture) {
        HttpResponse<Buffer> answer = client.postAbs(appUrl + "api/classify").putHeader("Content-Type", "image/png")
                .sendBuffer(Buffer.buffer(picture)).await();
        assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
        return answer.bodyAsJsonObject();
    }

    private HttpResponse<Buffer> classifyUrl(String url) {
        return client.postAbs(appUrl + "api/classify").sendJsonObject(new JsonObject().put("url", url)).await();
    }

    private String imageServerUrl(String path) {
        return "http://127.0.0.1:" + imageServer.actualPort() + path;
    }

    private HttpServer startImageServer() throws IOException {
        Buffer cat = Buffer.buffer(Files.readAllBytes(catPicture));
        return vertx.createHttpServer().requestHandler(request -> {
            switch (request.path()) {
                case "/pictures/cat.png" -> request.response().putHeader("Content-Type", "image/png").end(cat);
                case "/notes.txt" -> request.response().putHeader("Content-Type", "text/plain")
                        .end("These are notes, not a picture.");
                default -> request.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").await();
    }

    private static Path firstPng(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".png")).sorted().findFirst()
                    .orElseThrow(() -> new IllegalStateException("no PNG in " + folder));
        }
    }
}
