package com.catvsnoncat.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The page in headless Chromium against the real application with API keys on: it asks for a key once, says so
 * when the key is refused, then every panel works with it, and the key lasts for the tab (and only the tab).
 */
class ApiKeyPageBrowserTest extends BrowserPageTest {
    private static final String KEY = "page-visitor-key-5f2c";


    @BeforeAll
    void start() throws IOException, NoSuchAlgorithmException {
        String keyHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(KEY.getBytes(StandardCharsets.UTF_8)));
        startRig(new JsonObject().put("auth", new JsonObject()
                .put("apiKeys", new JsonObject().put("visitor", keyHash))));
    }

    @BeforeEach
    void openThePageWithNoKey() {
        driver.get(rig.appUrl());
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
                rig.weatherUpstream().cities().size()));
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
                rig.weatherUpstream().cities().size()));

        driver.navigate().refresh();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=weather-city]"),
                rig.weatherUpstream().cities().size()));
        assertThat(driver.findElement(By.id("api-key-panel")).isDisplayed()).isFalse();

        String firstTab = driver.getWindowHandle();
        driver.switchTo().newWindow(WindowType.TAB).get(rig.appUrl());
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
        Path file = rig.browser().workDir().resolve("picture-64.png");
        if (!Files.exists(file)) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("warmup/picture-64.png")) {
                Files.write(file, in.readAllBytes());
            }
        }
        return file;
    }
}
