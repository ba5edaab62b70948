package io.tollgate.bench;

import io.tollgate.api.keys.BudgetUsd;
import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.TokenQuota;
import io.tollgate.traffic.Admission;
import io.tollgate.traffic.AdmissionRequest;
import io.tollgate.traffic.Decision;
import io.tollgate.traffic.RedisAdmission;
import io.tollgate.traffic.Reservation;
import io.tollgate.traffic.Settlement;
import io.tollgate.traffic.TrafficOptions;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one admission costs Redis: the server-side time per script call ({@code usec_per_call} of
 * {@code INFO commandstats}), read after each phase with the statistics reset before it, on the
 * embedded Redis the tests use. One key with rpm, tpm, a daily token quota and a daily budget (four
 * checks per admission). Phases, repeated in rounds: N admissions over 90 s of admission time
 * (the window fills, then turns over), their N settlements, then {@value #REFUSALS} tpm refusals of
 * a key whose window holds N requests (each refusal computes its Retry-After). Also the Redis
 * process's CPU time (INFO cpu) per call, which adds reading requests and writing replies.
 * Usage: {@code bench/redis-cost.sh [N [rounds]]}. Loopback only; the Redis it starts is stopped at
 * the end.
 */
public final class AdmissionRedisCost {

  private static final Logger LOG = LoggerFactory.getLogger(AdmissionRedisCost.class);
  private static final int DEFAULT_N = 10_000;
  /** Rounds of every phase: the machine may be shared, the minimum and median say more than one run. */
  private static final int DEFAULT_ROUNDS = 5;
  /** Calls in flight at once: enough to keep Redis busy, few enough not to time out. */
  private static final int IN_FLIGHT = 64;
  private static final long WAIT_S = 120;
  /**
   * Refusals measured: few enough to finish well within the window's 60 s of real time (its keys
   * expire by wall clock), however slow a refusal is.
   */
  private static final int REFUSALS = 1_000;

  private AdmissionRedisCost() {
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_N;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_ROUNDS;
    EmbeddedRedisServer server = EmbeddedRedisServer.start();
    Vertx vertx = Vertx.vertx();
    try {
      TrafficOptions options = new TrafficOptions().setRedisUrl(server.url());
      Redis redis = Redis.createClient(vertx, options.toRedisOptions());
      RedisAdmission admission = Admission.redis(redis, options);
      admission.warmUp().await(WAIT_S, TimeUnit.SECONDS);
      String version = info(redis, "server").lines().filter(l -> l.startsWith("redis_version:"))
          .findFirst().orElse("redis_version:?");
      LOG.info("{}, N = {}, {} rounds, 4 checks per request (rpm, tpm, daily token quota, daily budget)",
          version, n, rounds);
      Map<String, List<double[]>> phases = new LinkedHashMap<>();
      for (int round = 1; round <= rounds; round++) {
        round(redis, admission, n, phases);
      }
      phases.forEach((phase, runs) -> {
        runs.sort(Comparator.comparingDouble(r -> r[0]));
        double[] median = runs.get(runs.size() / 2);
        LOG.info(String.format("%-28s script usec_per_call min %7.2f median %7.2f | Redis process CPU per call "
            + "(scripts + I/O) median %7.2f us", phase, runs.get(0)[0], median[0], median[1]));
      });
    } finally {
      vertx.close().await(WAIT_S, TimeUnit.SECONDS);
      server.stop();
    }
  }

  private static void round(Redis redis, RedisAdmission admission, int n, Map<String, List<double[]>> phases)
      throws Exception {
    Limits roomy = new Limits(10L * n, 1_000L * n, new TokenQuota(1_000L * n, null, null),
        new BudgetUsd(new BigDecimal("1000000"), null, null));
    String key = "bench-" + UUID.randomUUID();
    List<AdmissionRequest> requests = new ArrayList<>(n);
    long start = System.currentTimeMillis();
    for (int i = 0; i < n; i++) {
      // Spread over 90 s of admission time: the window fills, then turns over as with steady traffic.
      requests.add(new AdmissionRequest(UUID.randomUUID().toString(), key, null, roomy, null, null, 500,
          new BigDecimal("0.001"), start + (long) i * 90_000 / n));
    }
    Phase admit = Phase.start(redis);
    List<Decision> admitted = run(requests, admission::admit);
    admit.end(phases, "admit");

    Phase settle = Phase.start(redis);
    run(admitted, d -> admission.settle(d.reservation(), new Settlement(300, new BigDecimal("0.0006"))));
    settle.end(phases, "settle");

    // A full tpm window of N requests, then refusals: each computes Retry-After.
    Limits tight = new Limits(10L * n, 100L * n, new TokenQuota(1_000L * n, null, null),
        new BudgetUsd(new BigDecimal("1000000"), null, null));
    String full = "bench-full-" + UUID.randomUUID();
    List<AdmissionRequest> fill = new ArrayList<>(n);
    List<AdmissionRequest> refused = new ArrayList<>(REFUSALS);
    long now = System.currentTimeMillis();
    for (int i = 0; i < n; i++) {
      fill.add(new AdmissionRequest(UUID.randomUUID().toString(), full, null, tight, null, null, 100,
          new BigDecimal("0.0001"), now + (long) i * 30_000 / n));
    }
    for (int i = 0; i < REFUSALS; i++) {
      refused.add(new AdmissionRequest(UUID.randomUUID().toString(), full, null, tight, null, null, 100,
          new BigDecimal("0.0001"), now + 30_000));
    }
    run(fill, admission::admit);
    baseline(redis, n, phases, "return 1", "no-op script, same size");
    baseline(redis, n, phases, "for i = 1, 12 do redis.call('EXISTS', KEYS[1]) end return 1", "script of 12 EXISTS");
    baseline(redis, n, phases, "redis.call('SET', KEYS[1] .. ARGV[1] .. ARGV[23], '1', 'PX', 60000) return 1",
        "script creating 1 key, TTL");
    Phase refusal = Phase.start(redis);
    long refusals = run(refused, admission::admit).stream().filter(d -> !d.admitted()).count();
    if (refusals != REFUSALS) {
      throw new IllegalStateException("expected " + REFUSALS + " refusals, got " + refusals);
    }
    refusal.end(phases, "tpm refusal (window of N)");
  }

  /**
   * A script of the admission's size (6 keys, 23 arguments) doing {@code body}: the floor of what a
   * script call costs on this machine, to read the admission's figures against.
   */
  private static void baseline(Redis redis, int n, Map<String, List<double[]>> phases, String body, String name)
      throws Exception {
    String sha = redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(body)).await(WAIT_S, TimeUnit.SECONDS)
        .toString();
    List<Integer> calls = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      calls.add(i);
    }
    Phase phase = Phase.start(redis);
    run(calls, i -> {
      Request req = Request.cmd(Command.EVALSHA).arg(sha).arg(6);
      for (int k = 0; k < 6; k++) {
        req.arg("bench-baseline-" + k);
      }
      for (int a = 0; a < 23; a++) {
        req.arg(Integer.toString(i + a));
      }
      return redis.send(req);
    });
    phase.end(phases, name);
  }

  /** One measured phase: statistics reset at its start, read at its end. */
  private record Phase(Redis redis, double cpuBefore) {

    static Phase start(Redis redis) throws Exception {
      redis.send(Request.cmd(Command.CONFIG).arg("RESETSTAT")).await(WAIT_S, TimeUnit.SECONDS);
      return new Phase(redis, cpuSeconds(redis));
    }

    /** Adds {script usec_per_call, Redis process CPU us per script call} of this phase. */
    void end(Map<String, List<double[]>> phases, String name) throws Exception {
      double cpu = cpuSeconds(redis) - cpuBefore;
      String line = info(redis, "commandstats").lines().filter(l -> l.startsWith("cmdstat_evalsha:"))
          .findFirst().orElseThrow(() -> new IllegalStateException("no evalsha calls in " + name));
      long calls = Long.parseLong(field(line, "calls"));
      if (info(redis, "commandstats").contains("cmdstat_eval:")) {
        throw new IllegalStateException("a script ran by EVAL (NOSCRIPT) in " + name);
      }
      LOG.info("{}: {}", name, line);
      phases.computeIfAbsent(name, k -> new ArrayList<>())
          .add(new double[] {Double.parseDouble(field(line, "usec_per_call")), cpu * 1e6 / calls});
    }
  }

  private static String field(String line, String name) {
    for (String part : line.substring(line.indexOf(':') + 1).split(",")) {
      if (part.startsWith(name + "=")) {
        return part.substring(name.length() + 1);
      }
    }
    throw new IllegalStateException("no " + name + " in " + line);
  }

  /** used_cpu_sys + used_cpu_user of the Redis process. */
  private static double cpuSeconds(Redis redis) throws Exception {
    double total = 0;
    for (String l : info(redis, "cpu").lines().toList()) {
      if (l.startsWith("used_cpu_sys:") || l.startsWith("used_cpu_user:")) {
        total += Double.parseDouble(l.substring(l.indexOf(':') + 1).trim());
      }
    }
    return total;
  }

  /** Runs {@code call} on every item, at most {@link #IN_FLIGHT} at once; results in order. */
  private static <T, R> List<R> run(List<T> items, Function<T, Future<R>> call) throws Exception {
    List<R> out = new ArrayList<>(items.size());
    for (int from = 0; from < items.size(); from += IN_FLIGHT) {
      List<Future<R>> batch = new ArrayList<>(IN_FLIGHT);
      for (T item : items.subList(from, Math.min(items.size(), from + IN_FLIGHT))) {
        batch.add(call.apply(item));
      }
      Future.all(batch).await(WAIT_S, TimeUnit.SECONDS);
      batch.forEach(f -> out.add(f.result()));
    }
    return out;
  }

  private static String info(Redis redis, String section) throws Exception {
    return redis.send(Request.cmd(Command.INFO).arg(section)).await(WAIT_S, TimeUnit.SECONDS).toString();
  }
}
