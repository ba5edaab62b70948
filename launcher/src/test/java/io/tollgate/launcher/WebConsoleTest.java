package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in headless Chromium against a whole gateway in this JVM (admin, edge, routers,
 * the built-in mock provider): one browser session walks an operator's day, each step a test in
 * order. Screenshots land in target/console-screenshots.
 */
@DisplayName("Web console in a real browser: log in, tenants and keys, models, playground, slot test, spend")
@ExtendWith(Chromium.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebConsoleTest {

  static final Path ARTIFACTS = Path.of("target", "console-screenshots");
  static final Path DOWNLOADS = Path.of("target", "console-downloads");
  static final Duration WAIT = Duration.ofSeconds(15);

  Tollgate gateway;
  ChromeDriver browser;
  String console;
  String tenantId;
  String secret;
  /** Every admin API URL the pages fetched (from the browser's resource timing), checked against openapi.json. */
  final Set<String> adminCalls = new TreeSet<>();


  @BeforeAll
  void start() throws IOException {
    Files.createDirectories(ARTIFACTS);
    Files.createDirectories(DOWNLOADS);
    try (Stream<Path> old = Files.list(DOWNLOADS)) {
      // A file from an earlier run would pass for this run's download.
      for (Path f : old.toList()) {
        Files.delete(f);
      }
    }
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: chat-mock
            deployments:
              - {id: mock-a, provider: mock, mock: {tokens: 24, chunk_delay_ms: 40},
                 input_price_per_mtok: 1000, output_price_per_mtok: 2000}
          - name: chain
            deployments:
              - {id: flaky-primary, provider: mock, priority: 0, mock: {failure_rate: 1}}
              - {id: steady-backup, provider: mock, priority: 1, mock: {tokens: 8}}
        """), Set.of(Role.values()), false, "unused", null);
    browser = Chromium.start(1280, 900, DOWNLOADS);
    console = "http://127.0.0.1:" + gateway.adminPort() + "/console/";
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (gateway != null) {
      gateway.close().await();
    }
  }

  @Test
  @Order(1)
  @DisplayName("a wrong token is refused; the right one, typed and sent with Enter, opens the overview")
  void logIn() {
    browser.get("http://127.0.0.1:" + gateway.adminPort() + "/console");
    WebElement token = await(By.name("token"));
    assertThat(browser.switchTo().activeElement()).as("the token field has the focus").isEqualTo(token);
    token.sendKeys("not-the-token", Keys.ENTER);
    assertThat(await(By.cssSelector("[role=alert]")).getText()).contains("refused");
    token.clear();
    browser.switchTo().activeElement();
    token.sendKeys(TestGateway.ADMIN_TOKEN, Keys.ENTER);
    await(By.cssSelector("[data-stat=requests] .value"));
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Overview");
    assertThat(browser.findElement(By.cssSelector("[data-stat=breakers] .value")).getText()).isEqualTo("0");
    assertThat((String) browser.executeScript("return sessionStorage.getItem('tollgate.console.token')"))
        .isEqualTo(TestGateway.ADMIN_TOKEN);
    assertThat((Long) browser.executeScript("return localStorage.length")).as("nothing in local storage").isZero();
    shot("01-overview");
  }

  @Test
  @Order(2)
  @DisplayName("a tenant with a daily budget and a key for it are created; the key's secret is shown once")
  void tenantAndKey() {
    go("#/tenants");
    WebElement tenantForm = await(By.cssSelector("form[aria-labelledby=new-tenant-title]"));
    field(tenantForm, "Tenant name").sendKeys("acme");
    field(tenantForm, "Budget USD, daily").sendKeys("5");
    tenantForm.findElement(By.cssSelector("button[type=submit]")).click();
    await(By.xpath("//button[@aria-label='Keys of acme']"));
    tenantId = TestGateway.admin(gateway, "GET", "/admin/v1/tenants", null).body().getJsonArray("data").stream()
        .map(JsonObject.class::cast).filter(t -> t.getString("name").equals("acme")).findFirst().orElseThrow()
        .getString("id");
    WebElement keyForm = await(By.cssSelector("form[aria-labelledby=new-key-title]"));
    field(keyForm, "Key name").sendKeys("acme-app");
    keyForm.findElement(By.cssSelector("button[type=submit]")).click();
    secret = await(By.cssSelector("[data-secret]")).getText();
    assertThat(secret).startsWith("tg-");
    await(By.xpath("//button[@aria-label='Rotate key acme-app']"));
    shot("02-tenant-and-key");
    go("#/overview");
    go("#/tenants/" + tenantId);
    await(By.xpath("//button[@aria-label='Rotate key acme-app']"));
    assertThat(browser.findElements(By.cssSelector("[data-secret]"))).as("the secret is not shown again").isEmpty();
    assertThat(browser.getPageSource()).doesNotContain(secret);
  }

  @Test
  @Order(3)
  @DisplayName("a model's routing policy and a deployment's price are edited and saved through the admin API")
  void editModel() {
    go("#/models");
    await(By.xpath("//button[@aria-label='Edit chat-mock']")).click();
    WebElement editor = await(By.cssSelector("form[aria-labelledby=model-editor-title]"));
    new Select(field(editor, "Routing policy")).selectByValue("weighted");
    WebElement price = editor.findElement(By.cssSelector("[data-deployment='0'] [data-field=output_price_per_mtok]"));
    price.clear();
    price.sendKeys("3000");
    editor.findElement(By.cssSelector("button[type=submit]")).click();
    await(By.xpath("//*[@role='status' and contains(., 'Model chat-mock saved')]"));
    JsonObject model = TestGateway.admin(gateway, "GET", "/admin/v1/models/chat-mock", null).body();
    assertThat(model.getString("policy")).isEqualTo("weighted");
    JsonObject deployment = model.getJsonArray("deployments").getJsonObject(0);
    assertThat(deployment.getDouble("output_price_per_mtok")).isEqualTo(3000.0);
    assertThat(deployment.getJsonObject("mock").getInteger("tokens")).as("fields the page does not show are kept")
        .isEqualTo(24);
    shot("03-model");
  }

  @Test
  @Order(4)
  @DisplayName("the playground streams a chat answer from the edge with the new key: text visible before the end")
  void playgroundStreams() {
    go("#/playground/chat");
    WebElement url = await(By.name("gateway-url"));
    assertThat(url.getDomProperty("value")).isEqualTo("http://127.0.0.1:" + gateway.httpPort());
    browser.findElement(By.name("gateway-key")).sendKeys(secret);
    new Select(browser.findElement(By.name("chat-model"))).selectByValue("chat-mock");
    browser.findElement(By.xpath("//button[normalize-space()='Send']")).click();
    // Caught mid-stream: some text on screen while the answer is not finished.
    List<?> partial = new WebDriverWait(browser, WAIT, Duration.ofMillis(10)).until(d -> {
      List<?> state = (List<?>) browser.executeScript("const o = document.getElementById('chat-output');"
          + "return [o.textContent, o.dataset.done || ''];");
      return ((String) state.get(0)).isEmpty() ? null : state;
    });
    assertThat(partial.get(1)).as("the first text arrived before the stream ended").isEqualTo("");
    await(By.cssSelector("#chat-output[data-done=true]"));
    String full = browser.findElement(By.id("chat-output")).getText();
    assertThat(full).startsWith(((String) partial.get(0)).trim()).hasSizeGreaterThan(((String) partial.get(0)).length());
    assertThat(browser.findElement(By.cssSelector("[data-stat=usage]")).getText()).contains("completion");
    shot("04-playground");
  }

  @Test
  @Order(5)
  @DisplayName("a slot test on a chain with a failing primary shows both steps of the failover timeline")
  void slotTest() {
    go("#/slot-test/chain");
    await(By.xpath("//button[normalize-space()='Run slot test']")).click();
    List<WebElement> steps = new WebDriverWait(browser, WAIT).until(d -> {
      List<WebElement> li = d.findElements(By.cssSelector("ol.timeline li"));
      return li.size() >= 2 ? li : null;
    });
    assertThat(steps).hasSize(2);
    assertThat(steps.get(0).getDomAttribute("data-status")).isEqualTo("error");
    assertThat(steps.get(0).getText()).contains("flaky-primary").contains("upstream_error");
    assertThat(steps.get(1).getDomAttribute("data-status")).isEqualTo("ok");
    assertThat(steps.get(1).getText()).contains("steady-backup");
    assertThat(browser.findElement(By.id("slot-result")).getText()).contains("Chosen deployment")
        .contains("steady-backup");
    shot("05-slot-test");
  }

  @Test
  @Order(6)
  @DisplayName("the spend chart shows the tenant's billed chat, the CSV downloads, the tenant's spend meets its budget")
  void spendChart() throws Exception {
    awaitBilled();
    go("#/usage");
    await(By.cssSelector("figure[data-chart] svg rect[data-series='" + tenantId + "']"));
    assertThat(browser.findElement(By.cssSelector("table")).getText()).contains(tenantId).contains("Total");
    shot("06-spend-chart");
    browser.findElement(By.xpath("//button[normalize-space()='Download CSV']")).click();
    Path csv = new WebDriverWait(browser, WAIT).until(d -> csvFile());
    assertThat(Files.readString(csv)).contains("cost_usd").contains(tenantId);
    go("#/tenants");
    WebElement meter = await(By.xpath("//tr[td/strong[text()='acme']]//div[@role='meter']"));
    assertThat(Double.parseDouble(meter.getDomAttribute("aria-valuenow"))).isGreaterThan(0);
  }

  @Test
  @Order(7)
  @DisplayName("the audit page shows records or a clear 'not available' state, never an error")
  void auditPage() {
    go("#/audit");
    new WebDriverWait(browser, WAIT).until(d -> !d.findElements(By.cssSelector("[data-state=not-available], table"))
        .isEmpty() || !d.findElements(By.xpath("//p[text()='No records match.']")).isEmpty());
    assertThat(browser.findElements(By.cssSelector(".notice.error"))).isEmpty();
    shot("07-audit");
  }

  @Test
  @Order(8)
  @DisplayName("on a phone-wide screen the routing page fits without sideways scrolling")
  void phoneWidth() {
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
    go("#/routing");
    await(By.cssSelector("section[data-model=chain] [data-breaker]"));
    assertThat((Boolean) browser.executeScript(
        "return document.documentElement.scrollWidth <= window.innerWidth")).isTrue();
    shot("08-routing-phone");
  }

  @Test
  @Order(9)
  @DisplayName("every admin API path the pages called is documented in GET /admin/openapi.json")
  void onlyDocumentedAdminCalls() {
    collectCalls();
    JsonObject paths = new JsonObject(fetch("http://127.0.0.1:" + gateway.adminPort() + "/admin/openapi.json")).getJsonObject("paths");
    List<Pattern> documented = paths.fieldNames().stream()
        // {name} of a model may hold '/', the other parameters are one segment.
        .map(p -> Pattern.compile(p.replace("{name}", ".+").replaceAll("\\{[^}]+}", "[^/]+"))).toList();
    assertThat(adminCalls).as("calls seen").anyMatch(c -> c.endsWith("/spend")).anyMatch(c -> c.endsWith("/invoke"))
        .anyMatch(c -> c.endsWith("/routing")).anyMatch(c -> c.equals("/admin/v1/usage"));
    for (String call : adminCalls) {
      assertThat(documented).as(call + " is in openapi.json").anyMatch(p -> p.matcher(call).matches());
    }
  }

  /** The admin paths the current page fetched (before a navigation drops them). */
  private void collectCalls() {
    String origin = "http://127.0.0.1:" + gateway.adminPort();
    @SuppressWarnings("unchecked")
    List<String> urls = (List<String>) browser.executeScript(
        "return performance.getEntriesByType('resource').map(e => e.name)");
    for (String url : urls) {
      if (url.startsWith(origin + "/admin/")) {
        String path = URI.create(url).getRawPath();
        adminCalls.add(URLDecoder.decode(path, StandardCharsets.UTF_8));
      }
    }
  }

  private static String fetch(String url) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitBilled() throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (TestGateway.admin(gateway, "GET", "/admin/v1/usage?tenant_id=" + tenantId, null).body()
        .getJsonObject("totals").getLong("requests", 0L) < 1) {
      assertThat(System.nanoTime()).as("the chat billed within " + WAIT).isLessThan(deadline);
      // The ledger is written asynchronously (batched after the answer); poll until it is.
      Thread.sleep(50);
    }
  }

  private Path csvFile() {
    try (Stream<Path> files = Files.list(DOWNLOADS)) {
      return files.filter(f -> f.toString().endsWith(".csv")).findFirst().orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void go(String hash) {
    if (browser.getCurrentUrl().startsWith(console)) {
      collectCalls();
    }
    browser.get(console + hash);
    await(By.cssSelector("main h1"));
  }

  private WebElement await(By by) {
    return new WebDriverWait(browser, WAIT, Duration.ofMillis(50)).until(d -> {
      List<WebElement> found = d.findElements(by);
      return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
    });
  }

  /** The control a visible label names, inside {@code scope}. */
  private WebElement field(WebElement scope, String label) {
    String id = scope.findElement(By.xpath(".//label[normalize-space()='" + label + "']")).getDomAttribute("for");
    return scope.findElement(By.id(id));
  }

  private void shot(String name) {
    try {
      Files.write(ARTIFACTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
