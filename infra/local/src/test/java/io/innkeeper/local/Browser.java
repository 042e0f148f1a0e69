package io.innkeeper.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium for the console's browser tests, driven by Selenium through the
 * machine's own chromedriver. Both binaries are named explicitly ({@code /usr/bin/chromium} and
 * {@code /usr/bin/chromedriver}, Debian's {@code chromium} and {@code chromium-driver} packages, or
 * the system properties {@value #CHROMIUM_PROPERTY} and {@value #DRIVER_PROPERTY}), so Selenium
 * Manager never looks for, or downloads, a browser or a driver.
 *
 * <p>Where either is missing the tests are skipped with the reason, printed once, as the LocalStack
 * ITs are without Docker; CI installs both ({@code .ci/run}).
 */
final class Browser implements AutoCloseable {

  static final String CHROMIUM_PROPERTY = "innkeeper.chromium";
  static final String DRIVER_PROPERTY = "innkeeper.chromedriver";
  static final String SKIPPED = "console browser ITs skipped: ";

  /** Where screenshots go; docs/console.md shows the ones worth showing. */
  static final Path SCREENSHOTS =
      Path.of(System.getProperty("innkeeper.console.screenshots", "target/console-screenshots"));

  private static Optional<String> decided;

  private final ChromeDriverService service;
  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriverService service, ChromeDriver driver, Path profile) {
    this.service = service;
    this.driver = driver;
    this.profile = profile;
  }

  static Path chromium() {
    return Path.of(System.getProperty(CHROMIUM_PROPERTY, "/usr/bin/chromium"));
  }

  static Path chromedriver() {
    return Path.of(System.getProperty(DRIVER_PROPERTY, "/usr/bin/chromedriver"));
  }

  /** Why the browser tests cannot run here, or empty when they can; said once per JVM. */
  static synchronized Optional<String> skipReason() {
    if (decided == null) {
      decided = skipReason(chromium(), chromedriver());
      decided.ifPresent(reason -> System.out.println("[innkeeper] " + reason));
    }
    return decided;
  }

  static Optional<String> skipReason(Path chromium, Path driver) {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(chromium)) {
      missing.add("no Chromium at " + chromium + " (Debian: apt-get install chromium)");
    }
    if (!Files.isExecutable(driver)) {
      missing.add("no chromedriver at " + driver + " (Debian: apt-get install chromium-driver)");
    }
    return missing.isEmpty() ? Optional.empty() : Optional.of(SKIPPED + String.join("; ", missing));
  }

  /** Starts a fresh headless Chromium (its own profile in a new temporary directory). */
  static Browser start() throws IOException {
    Path profile = Files.createTempDirectory("innkeeper-chromium-");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver().toFile())
            .usingAnyFreePort()
            .withLogFile(new File("target/chromedriver.log"))
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium().toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--window-size=1440,1000",
        "--user-data-dir=" + profile);
    try {
      return new Browser(service, new ChromeDriver(service, options), profile);
    } catch (RuntimeException e) {
      service.stop();
      throw e;
    }
  }

  ChromeDriver driver() {
    return driver;
  }

  WebDriverWait waitUpTo(Duration timeout) {
    WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(50));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    return wait;
  }

  /** Saves what the browser shows as {@code <name>.png} under {@link #SCREENSHOTS}. */
  Path screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Path file = SCREENSHOTS.resolve(name + ".png");
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    return file;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // A temporary profile left behind is harmless.
      }
    }
  }
}
