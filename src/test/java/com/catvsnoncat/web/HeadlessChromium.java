package com.catvsnoncat.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

/** Debian's headless Chromium for the page tests, through the installed chromedriver (no Selenium Manager). */
final class HeadlessChromium {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String BROWSER_REQUIRED = "catvsnoncat.browser.required";

    private HeadlessChromium() {
    }

    /** Skips (or, where the browser is required, fails) when Debian's chromium or chromedriver is missing. */
    static void require() {
        for (Path program : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(program)) {
                String message = program + " is missing: install Debian's chromium and chromium-driver"
                        + " (apt-get install -y chromium chromium-driver) to run the page test";
                if (Boolean.getBoolean(BROWSER_REQUIRED)) {
                    throw new AssertionError(message);
                }
                Assumptions.abort(message);
            }
        }
    }

    /** @param profile an empty folder for the browser's profile; nothing is downloaded */
    static ChromeDriver start(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1280,1024");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
