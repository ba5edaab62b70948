package io.tollgate.launcher;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Headless Chromium from the OS packages (Debian {@code chromium} and {@code chromium-driver}) for
 * the browser tests. Missing packages are installed with apt-get when the tests run as root; where
 * that cannot happen the tests fail with a message saying what to install, never skip.
 */
final class Chromium implements BeforeAllCallback {

  private static final Logger LOG = LoggerFactory.getLogger(Chromium.class);
  static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
  static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/lib/chromium/chromium");
  static final long DEFAULT_INSTALL_TIMEOUT_MINUTES = 10;
  static final String HOW_TO = "install Debian's chromium and chromium-driver (apt-get install -y chromium "
      + "chromium-driver) or run the tests as root so they can";

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (find(DRIVERS) != null && find(BROWSERS) != null) {
      return;
    }
    if (!root()) {
      fail("The web console's browser tests need headless Chromium and chromedriver, which are missing, and the "
          + "tests do not run as root: " + HOW_TO + ".");
    }
    LOG.info("chromium or chromedriver missing: installing them with apt-get");
    int status = run(List.of("apt-get", "install", "-y", "--no-install-recommends", "chromium", "chromium-driver"));
    if (status != 0) {
      // A fresh image has no package lists yet.
      run(List.of("apt-get", "update"));
      status = run(List.of("apt-get", "install", "-y", "--no-install-recommends", "chromium", "chromium-driver"));
    }
    if (status != 0 || find(DRIVERS) == null || find(BROWSERS) == null) {
      fail("Could not install Chromium for the web console's browser tests (apt-get exit " + status + "): "
          + HOW_TO + ".");
    }
  }

  /** A headless browser at {@code width} x {@code height}; no Selenium Manager download (the OS binaries are given). */
  static ChromeDriver start(int width, int height, Path downloads) {
    ChromeOptions options = new ChromeOptions().setBinary(find(BROWSERS))
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--no-first-run", "--window-size=" + width + "," + height);
    options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toAbsolutePath().toString(),
        "download.prompt_for_download", false));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(find(DRIVERS))).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    return driver;
  }

  private static String find(List<String> candidates) {
    return candidates.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
  }

  private static boolean root() throws IOException, InterruptedException {
    Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
    String out = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return id.waitFor(10, TimeUnit.SECONDS) && out.equals("0");
  }

  private static int run(List<String> command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("chromium-install", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process p = builder.start();
    if (!p.waitFor(DEFAULT_INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail(String.join(" ", command) + " did not finish within " + DEFAULT_INSTALL_TIMEOUT_MINUTES + " minutes; "
          + HOW_TO + ". Output in " + log);
    }
    LOG.info("{}: exit {} (output in {})", String.join(" ", command), p.exitValue(), log);
    return p.exitValue();
  }
}
