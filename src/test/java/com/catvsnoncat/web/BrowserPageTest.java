package com.catvsnoncat.web;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What every page test shares: one {@link PageRig} for the whole class (the application and a headless Chromium),
 * its browser and a wait for it, all stopped after the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserPageTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    PageRig rig;
    ChromeDriver driver;
    WebDriverWait wait;

    /** Starts the rig; called from the test's own {@code @BeforeAll}. */
    void startRig(JsonObject overrides) throws IOException {
        rig = PageRig.start(overrides);
        driver = rig.browser().driver();
        wait = new WebDriverWait(driver, WAIT);
    }

    @AfterAll
    void stopRig() throws IOException {
        if (rig != null) {
            rig.close();
        }
    }
}
