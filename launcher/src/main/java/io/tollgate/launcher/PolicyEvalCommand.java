package io.tollgate.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.GatewayConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.RoutingOptions;
import io.tollgate.api.codec.Wire;
import io.tollgate.router.eval.EvalReport;
import io.tollgate.router.eval.LoggedOutcome;
import io.tollgate.router.eval.OutcomeLog;
import io.tollgate.router.eval.PolicyEvaluator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * {@code java -jar tollgate.jar policy-eval --model NAME --policy SPEC [--from T] [--to T]
 * [--file outcomes.jsonl] [--config FILE] [--samples N] [--seed N]}: estimates what a candidate
 * routing policy would have earned on recorded outcomes (see {@link PolicyEvaluator}) and prints the
 * report as JSON.
 *
 * <p>SPEC is a policy name, optionally with routing options: {@code thompson} or
 * {@code epsilon-greedy:epsilon=0.1,half_life_ms=0}. The model's deployments (weights, priorities)
 * and routing options come from {@code --config} if given, else the deployments seen in the log,
 * in order of appearance, with weight 1. Outcomes are read from {@code --file} until the usage
 * ledger stores them.
 */
final class PolicyEvalCommand {

  static final String NAME = "policy-eval";

  private PolicyEvalCommand() {
  }

  /**
   * @param out where the report goes: the command's product, so standard output, not the log
   * @return the process exit code: 0, or 2 for bad arguments or input
   */
  static int run(String[] args, PrintStream out, PrintStream err, Function<String, String> env) {
    try {
      Map<String, String> opts = options(args);
      String model = required(opts, "--model");
      String spec = required(opts, "--policy");
      String file = opts.get("--file");
      if (file == null) {
        throw new IllegalArgumentException("--file outcomes.jsonl is required: outcomes are not stored yet");
      }
      long from = opts.containsKey("--from") ? Instant.parse(opts.get("--from")).toEpochMilli() : Long.MIN_VALUE;
      long to = opts.containsKey("--to") ? Instant.parse(opts.get("--to")).toEpochMilli() : Long.MAX_VALUE;
      List<LoggedOutcome> log;
      try (Reader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
        log = OutcomeLog.read(in);
      }
      List<LoggedOutcome> selected = new ArrayList<>();
      boolean window = opts.containsKey("--from") || opts.containsKey("--to");
      for (LoggedOutcome l : log) {
        boolean inModel = model.equals(l.outcome().model());
        boolean inWindow = !window || l.atMillis() >= 0 && l.atMillis() >= from && l.atMillis() < to;
        if (inModel && inWindow) {
          selected.add(l);
        }
      }
      ModelConfig base = opts.containsKey("--config")
          ? fromConfig(ConfigLoader.load(Path.of(opts.get("--config")), env), model) : fromLog(model, selected);
      ModelConfig candidate = withSpec(base, spec);
      int samples = Integer.parseInt(opts.getOrDefault("--samples", String.valueOf(PolicyEvaluator.DEFAULT_SAMPLES)));
      long seed = Long.parseLong(opts.getOrDefault("--seed", "1"));
      EvalReport report = new PolicyEvaluator(candidate, new SplittableRandom(seed), samples).evaluate(selected);
      out.println(Wire.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("policy-eval: " + e.getMessage());
      return 2;
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --option value, got '" + args[i] + "'");
      }
      opts.put(args[i], args[++i]);
    }
    return opts;
  }

  private static String required(Map<String, String> opts, String name) {
    String v = opts.get(name);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return v;
  }

  private static ModelConfig fromConfig(GatewayConfig config, String model) {
    return config.models().stream().filter(m -> m.name().equals(model) || m.aliases().contains(model)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("model '" + model + "' is not in the config file"));
  }

  private static ModelConfig fromLog(String model, List<LoggedOutcome> log) {
    Map<String, DeploymentConfig> seen = new LinkedHashMap<>();
    for (LoggedOutcome l : log) {
      seen.computeIfAbsent(l.outcome().deploymentId(), id -> new DeploymentConfig(id, l.outcome().provider(), null,
          null, null, 1, seen.size(), null, null, null, null, null));
    }
    if (seen.isEmpty()) {
      throw new IllegalArgumentException("no outcomes of model '" + model + "' in the file (and window)");
    }
    return new ModelConfig(model, null, null, null, new ArrayList<>(seen.values()));
  }

  /** The model under SPEC's policy, SPEC's options laid over the model's routing options. */
  static ModelConfig withSpec(ModelConfig model, String spec) throws IOException {
    int colon = spec.indexOf(':');
    String policy = colon < 0 ? spec : spec.substring(0, colon);
    String error = ModelConfig.policyError(policy);
    if (error != null || ModelConfig.POLICY_RULES.equals(policy)) {
      throw new IllegalArgumentException("--policy: " + (error != null ? error : "rules choose models, not deployments"));
    }
    ObjectNode routing = Wire.MAPPER.valueToTree(model.routing());
    if (colon >= 0) {
      for (String pair : spec.substring(colon + 1).split(",")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("--policy: expected key=value, got '" + pair + "'");
        }
        JsonNode value = Wire.MAPPER.readTree(pair.substring(eq + 1).trim());
        routing.set(pair.substring(0, eq).trim(), value);
      }
    }
    RoutingOptions options = Wire.MAPPER.copy()
        .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .treeToValue(routing, RoutingOptions.class);
    return new ModelConfig(model.name(), model.aliases(), policy, options, model.deployments());
  }
}
