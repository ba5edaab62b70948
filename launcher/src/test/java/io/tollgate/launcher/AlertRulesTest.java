package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The shipped Prometheus rules and Grafana dashboard refer to the gateway's real metrics")
class AlertRulesTest {

  static final Path RULES = Path.of("../ops/prometheus/tollgate-rules.yml");
  static final Path DASHBOARD = Path.of("../ops/grafana/tollgate-dashboard.json");
  /**
   * The metric families the gateway exports; {@link MetricsTest} sees each of them on a live node.
   */
  static final Set<String> EXPORTED = Set.of("tollgate_requests_total", "tollgate_tokens_total",
      "tollgate_cost_usd_total", "tollgate_time_to_first_token_seconds", "tollgate_upstream_latency_seconds",
      "tollgate_overhead_seconds", "tollgate_ratelimit_refusals_total", "tollgate_queue_depth", "tollgate_breaker_state",
      "tollgate_inflight_streams", "tollgate_usage_outbox_depth", "tollgate_ready", "tollgate_config_reloads_total",
      "tollgate_eventbus_hop_seconds");
  private static final Pattern METRIC = Pattern.compile("\\btollgate_[a-z_]+");

  static Set<String> referenced(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(text);
    while (m.find()) {
      names.add(m.group().replaceAll("_(bucket|count|sum)$", ""));
    }
    return names;
  }

  @Test
  @DisplayName("every alert has an expression, a severity and a summary; every metric it uses is exported")
  void rulesAreWellFormed() throws Exception {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
    List<String> alerts = new ArrayList<>();
    for (JsonNode group : root.get("groups")) {
      assertThat(group.path("name").asText()).isNotBlank();
      for (JsonNode rule : group.get("rules")) {
        assertThat(rule.path("expr").asText()).as("expr of " + rule).isNotBlank();
        if (rule.has("alert")) {
          alerts.add(rule.get("alert").asText());
          assertThat(rule.path("labels").path("severity").asText()).as(rule.get("alert").asText())
              .isIn("page", "ticket", "info");
          assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
        } else {
          assertThat(rule.path("record").asText()).as("a rule is an alert or a recording rule").startsWith("tollgate:");
        }
      }
    }
    assertThat(alerts).contains("TollgateErrorBudgetBurnFast", "TollgateErrorBudgetBurnSlow",
        "TollgateTimeToFirstTokenP95High", "TollgateDeploymentErrorRateHigh", "TollgateBreakerOpen",
        "TollgateCostSpike", "TollgateBudgetExhausted", "TollgateNodeNotReady", "TollgateEventBusHopSlow");
    assertThat(EXPORTED).containsAll(referenced(Files.readString(RULES)));
  }

  @Test
  @DisplayName("the dashboard's queries use exported metrics only")
  void dashboardUsesExportedMetrics() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    assertThat(dashboard.get("panels")).isNotEmpty();
    assertThat(EXPORTED).containsAll(referenced(Files.readString(DASHBOARD)));
  }

  /**
   * promtool is the reference parser of PromQL and the rules format. It is a Debian package
   * (`prometheus`), not a Java dependency: where it is installed this test runs it, and the two
   * tests above hold everywhere.
   */
  @Test
  @DisplayName("promtool check rules accepts the file (where promtool is installed)")
  void promtoolAcceptsTheRules() throws Exception {
    String promtool = promtool();
    if (promtool == null) {
      assertThat(referenced(Files.readString(RULES))).isNotEmpty();
      return;
    }
    Process p = new ProcessBuilder(promtool, "check", "rules", RULES.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("SUCCESS");
  }

  private static String promtool() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, "promtool");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }
}
