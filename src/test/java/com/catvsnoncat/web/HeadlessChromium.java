package com.catvsnoncat.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

/**
 * Debian's headless Chromium for the page tests, through the installed chromedriver (no Selenium Manager), with a
 * working folder for its profile and for files a test uploads; closing quits the browser and deletes the folder.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String BROWSER_REQUIRED = "catvsnoncat.browser.required";

    private final Path workDir;
    private final ChromeDriver driver;

    private HeadlessChromium(Path workDir, ChromeDriver driver) {
        this.workDir = workDir;
        this.driver = driver;
    }

    /** A browser with a fresh profile in a new temporary folder. */
    static HeadlessChromium start() throws IOException {
        Path workDir = Files.createTempDirectory("catvsnoncat-page-test");
        return new HeadlessChromium(workDir, startDriver(Files.createDirectory(workDir.resolve("chromium-profile"))));
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Where a test may write files for the browser to upload. */
    Path workDir() {
        return workDir;
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).map(Path::toFile).forEach(File::delete);
        }
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

    private static ChromeDriver startDriver(Path profile) {
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
