package dev.parley.server.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * JUnit extension that hands tests headless Chromium sessions and cleans up after them.
 *
 * <p>Without {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} the tests are skipped
 * with the reason, unless the environment variable {@code CI} is {@code true}: then they fail.
 * When a test fails, every browser it opened leaves a screenshot and its console log under
 * {@code target/browser-failures/}. A test that passes still fails if the web client broke its
 * Content-Security-Policy in any of its browsers.
 */
final class Browsers implements BeforeAllCallback, ParameterResolver, AfterTestExecutionCallback,
    AfterEachCallback {
  static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
  private static final Path FAILURES = Paths.get("target", "browser-failures");

  private final List<Session> sessions = new ArrayList<>();

  /** One open browser and its throw-away profile directory. */
  private record Session(String name, WebDriver driver, Path profile) {
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (installed) {
      return;
    }
    String reason = "browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
        + " (apt-get install -y chromium chromium-driver)";
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail(reason);
    }
    Assumptions.abort(reason);
  }

  /** Opens a new headless browser window of the given size; it is closed after the test. */
  WebDriver open(String name, int width, int height) {
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    Path profile;
    try {
      profile = Files.createTempDirectory("parley-chromium");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
        "--window-size=" + width + "," + height, "--lang=en-US");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    // make the page itself (the viewport) width x height, whatever the window's own frame takes
    driver.manage().window().setSize(new Dimension(width, height));
    Object inner = driver.executeScript("return [window.innerWidth, window.innerHeight];");
    if (inner instanceof List<?> wh && wh.size() == 2) {
      int dw = width - ((Number) wh.get(0)).intValue();
      int dh = height - ((Number) wh.get(1)).intValue();
      if (dw != 0 || dh != 0) {
        driver.manage().window().setSize(new Dimension(width + dw, height + dh));
      }
    }
    sessions.add(new Session(name, driver, profile));
    return driver;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Browsers.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return this;
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (context.getExecutionException().isEmpty()) {
      assertNoCspViolations();
      return;
    }
    String test = context.getRequiredTestClass().getSimpleName() + "-"
        + context.getRequiredTestMethod().getName();
    for (Session s : sessions) {
      saveEvidence(test + "-" + s.name(), s.driver());
    }
  }

  /**
   * The web client must work under its own Content-Security-Policy: a passing test fails when the
   * console of any of its browsers reports that the policy refused something. (Refusals inside
   * uploaded content, served under its own sandbox policy, are that policy doing its job.)
   */
  private void assertNoCspViolations() {
    List<String> violations = new ArrayList<>();
    for (Session s : sessions) {
      try {
        for (LogEntry e : s.driver().manage().logs().get(LogType.BROWSER)) {
          String m = e.getMessage();
          if (m.contains("Content Security Policy") && !m.contains("/api/attachments/")) {
            violations.add(s.name() + ": " + m);
          }
        }
      } catch (RuntimeException e) {
        System.err.println("could not read the console of " + s.name() + ": " + e);
      }
    }
    Assertions.assertTrue(violations.isEmpty(), () -> "CSP violations: " + violations);
  }

  private static void saveEvidence(String base, WebDriver driver) {
    try {
      Files.createDirectories(FAILURES);
      byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
      Files.write(FAILURES.resolve(base + ".png"), png);
      StringBuilder log = new StringBuilder();
      for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
        log.append(e.getLevel()).append(' ').append(e.getMessage()).append('\n');
      }
      Files.writeString(FAILURES.resolve(base + "-console.log"), log);
      System.err.println("browser evidence saved: " + FAILURES.resolve(base + ".png").toAbsolutePath());
    } catch (IOException | RuntimeException e) {
      System.err.println("could not save browser evidence for " + base + ": " + e);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    for (Session s : sessions) {
      try {
        s.driver().quit();
      } catch (RuntimeException e) {
        System.err.println("could not quit browser " + s.name() + ": " + e);
      }
      deleteTree(s.profile());
    }
    sessions.clear();
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp profile left behind is harmless
    }
  }
}
