package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("java -jar tollgate.jar policy-eval: a candidate policy judged on a file of recorded outcomes")
class PolicyEvalCommandTest {

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Deployments a (success 0.3, logged with 0.7) and b (0.9, logged with 0.3), one outcome a minute from T0. */
  private Path log(int n) throws IOException {
    SplittableRandom rnd = new SplittableRandom(3);
    StringBuilder sb = new StringBuilder();
    Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
    for (int i = 0; i < n; i++) {
      boolean a = rnd.nextDouble() < 0.7;
      boolean ok = rnd.nextDouble() < (a ? 0.3 : 0.9);
      JsonObject o = new JsonObject().put("requestId", "r" + i).put("attempt", 0).put("model", "gpt")
          .put("deploymentId", a ? "a" : "b").put("provider", "mock").put("status", ok ? "OK" : "ERROR")
          .put("latencyMillis", 100).put("at", t0.plusSeconds(60L * i).toString())
          .put("decision", new JsonObject().put("policy", "weighted").put("routingVersion", "v1")
              .put("propensity", a ? 0.7 : 0.3));
      if (!ok) {
        o.put("error", "UPSTREAM_ERROR");
      }
      sb.append(o.encode()).append('\n');
    }
    Path file = dir.resolve("outcomes.jsonl");
    Files.writeString(file, sb.toString());
    return file;
  }

  private int run(String... args) {
    return PolicyEvalCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), name -> null);
  }

  @Test
  @DisplayName("prints IPS and doubly robust estimates with intervals; a candidate preferring b is worth about 0.9")
  void report() throws IOException {
    Path file = log(8_000);
    int code = run("--model", "gpt", "--policy", "priority", "--file", file.toString());
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    JsonObject report = new JsonObject(out.toString(StandardCharsets.UTF_8));
    // Without --config the deployments are taken in order of appearance; put b first with weights instead.
    assertThat(report.getInteger("decisions")).isEqualTo(8_000);
    assertThat(report.getDouble("loggedValue")).isCloseTo(0.7 * 0.3 + 0.3 * 0.9, within(0.03));

    out.reset();
    Path config = dir.resolve("tollgate.yaml");
    Files.writeString(config, """
        models:
          - name: gpt
            deployments:
              - {id: a, provider: mock, priority: 1}
              - {id: b, provider: mock, priority: 0}
        """);
    assertThat(run("--model", "gpt", "--policy", "priority:half_life_ms=0", "--file", file.toString(),
        "--config", config.toString())).isZero();
    JsonObject best = new JsonObject(out.toString(StandardCharsets.UTF_8));
    assertThat(best.getString("policy")).isEqualTo("priority");
    JsonObject dr = best.getJsonObject("doublyRobust");
    assertThat(dr.getDouble("value")).isCloseTo(0.9, within(0.03));
    assertThat(dr.getDouble("low")).isLessThan(0.9);
    assertThat(dr.getDouble("high")).isGreaterThan(0.9);
    assertThat(best.getJsonObject("ips").getInteger("n")).isEqualTo(8_000);
  }

  @Test
  @DisplayName("--from and --to select a time window of the outcomes")
  void window() throws IOException {
    Path file = log(100);
    assertThat(run("--model", "gpt", "--policy", "weighted", "--file", file.toString(),
        "--from", "2026-11-01T00:10:00Z", "--to", "2026-11-01T00:20:00Z")).isZero();
    assertThat(new JsonObject(out.toString(StandardCharsets.UTF_8)).getInteger("decisions")).isEqualTo(10);
  }

  @Test
  @DisplayName("bad arguments are a one-line error and exit code 2, never a stack trace")
  void badArguments() throws IOException {
    Path file = log(10);
    assertThat(run("--model", "gpt", "--policy", "nope", "--file", file.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown routing policy 'nope'");
    err.reset();
    assertThat(run("--model", "gpt", "--policy", "thompson")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--file");
    err.reset();
    assertThat(run("--model", "gpt", "--policy", "thompson:no_such=1", "--file", file.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no_such");
  }
}
