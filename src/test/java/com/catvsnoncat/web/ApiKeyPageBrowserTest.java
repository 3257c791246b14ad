package com.catvsnoncat.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.BlockedThreads;
import com.catvsnoncat.app.Application;
import com.catvsnoncat.app.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in headless Chromium against the real application with API keys on: it asks for a key once, says so
 * when the key is refused, then every panel works with it, and the key lasts for the tab (and only the tab).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiKeyPageBrowserTest {
    private static final String KEY = "page-visitor-key-5f2c";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Vertx vertx;
    private FakeOpenMeteo weatherUpstream;
    private Application application;
    private String appUrl;
    private Path workDir;
    private HeadlessChromium browser;
    private ChromeDriver driver;
    private WebDriverWait wait;

    @BeforeAll
    void start() throws IOException, NoSuchAlgorithmException {
        HeadlessChromium.require();
        vertx = Vertx.vertx(BlockedThreads.vertxOptions());
        JsonObject defaults = ConfigLoader.defaults();
        weatherUpstream = FakeOpenMeteo.start(vertx, defaults.getJsonObject("weather").getJsonArray("cities"));
        String keyHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(KEY.getBytes(StandardCharsets.UTF_8)));
        application = Application.start(vertx, defaults.mergeIn(new JsonObject()
                .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                .put("auth", new JsonObject().put("apiKeys", new JsonObject().put("visitor", keyHash)))
                .put("weather", new JsonObject()
                        .put("provider", "open-meteo")
                        .put("openMeteo", new JsonObject().put("baseUrl", weatherUpstream.baseUrl()))), true))
                .await();
        appUrl = "http://127.0.0.1:" + application.port() + "/";
        browser = HeadlessChromium.start();
        workDir = browser.workDir();
        driver = browser.driver();
        wait = new WebDriverWait(driver, WAIT);
    }

    @AfterAll
    void stop() throws IOException {
        if (browser != null) {
            browser.close();
        }
        if (application != null) {
            application.close().await();
        }
        if (vertx != null) {
            vertx.close().await();
        }
    }

    @BeforeEach
    void openThePageWithNoKey() {
        driver.get(appUrl);
        ((JavascriptExecutor) driver).executeScript("sessionStorage.clear();");
        driver.navigate().refresh();
        wait.until(ExpectedConditions.titleIs("Cat or not?"));
    }

    @Test
    void asksForTheKeyOnceThenEveryPanelWorksWithIt() throws IOException {
        WebElement panel = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key-panel")));
        assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("api-key-input");

        enterKey("not-the-key");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key-refused")));
        assertThat(panel.isDisplayed()).isTrue();
        enterKey(KEY);

        wait.until(ExpectedConditions.invisibilityOf(panel));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=weather-city]"),
                weatherUpstream.cities().size()));
        wait.until(d -> !d.findElement(By.id("model-name")).getText().isBlank());
        driver.findElement(By.id("file-input")).sendKeys(picture().toString());
        WebElement label = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("result-label")));
        assertThat(label.getDomAttribute("data-label")).isIn("cat", "non-cat");
        assertThat(panel.isDisplayed()).isFalse();
    }

    @Test
    void keepsTheKeyForTheTabButNotForANewTab() {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key-panel")));
        enterKey(KEY);
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=weather-city]"),
                weatherUpstream.cities().size()));

        driver.navigate().refresh();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=weather-city]"),
                weatherUpstream.cities().size()));
        assertThat(driver.findElement(By.id("api-key-panel")).isDisplayed()).isFalse();

        String firstTab = driver.getWindowHandle();
        driver.switchTo().newWindow(WindowType.TAB).get(appUrl);
        try {
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key-panel")));
        } finally {
            driver.close();
            driver.switchTo().window(firstTab);
        }
    }

    private void enterKey(String key) {
        WebElement input = driver.findElement(By.id("api-key-input"));
        input.clear();
        input.sendKeys(key);
        driver.findElement(By.id("api-key-submit")).click();
    }

    /** The bundled 64x64 warm-up picture, as a file the browser can upload. */
    private Path picture() throws IOException {
        Path file = workDir.resolve("picture-64.png");
        if (!Files.exists(file)) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("warmup/picture-64.png")) {
                Files.write(file, in.readAllBytes());
            }
        }
        return file;
    }
}
