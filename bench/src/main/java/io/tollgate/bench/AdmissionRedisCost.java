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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one admission costs Redis: the server-side time per script call ({@code usec_per_call} of
 * {@code INFO commandstats}), read after each phase with the statistics reset before it, on the
 * embedded Redis the tests use. One key with rpm, tpm, a daily token quota and a daily budget (four
 * checks per admission). Phases: N admissions inside one minute, their N settlements, then
 * {@value #REFUSALS} tpm refusals of a key whose window holds N requests (each refusal computes its
 * Retry-After).
 * Usage: {@code bench/redis-cost.sh [N]}. Loopback only; the Redis it starts is stopped at the end.
 */
public final class AdmissionRedisCost {

  private static final Logger LOG = LoggerFactory.getLogger(AdmissionRedisCost.class);
  private static final int DEFAULT_N = 10_000;
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
    EmbeddedRedisServer server = EmbeddedRedisServer.start();
    Vertx vertx = Vertx.vertx();
    try {
      TrafficOptions options = new TrafficOptions().setRedisUrl(server.url());
      Redis redis = Redis.createClient(vertx, options.toRedisOptions());
      RedisAdmission admission = Admission.redis(redis, options);
      admission.warmUp().await(WAIT_S, TimeUnit.SECONDS);
      String version = info(redis, "server").lines().filter(l -> l.startsWith("redis_version:"))
          .findFirst().orElse("redis_version:?");
      LOG.info("{}, N = {}, 4 checks per request (rpm, tpm, daily token quota, daily budget)", version, n);

      Limits roomy = new Limits(10L * n, 1_000L * n, new TokenQuota(1_000L * n, null, null),
          new BudgetUsd(new BigDecimal("1000000"), null, null));
      String key = "bench-" + UUID.randomUUID();
      List<AdmissionRequest> requests = new ArrayList<>(n);
      long start = System.currentTimeMillis();
      for (int i = 0; i < n; i++) {
        // Spread over 30 s of admission time, as real traffic in one window would be.
        requests.add(new AdmissionRequest(UUID.randomUUID().toString(), key, null, roomy, null, null, 500,
            new BigDecimal("0.001"), start + (long) i * 30_000 / n));
      }

      resetStats(redis);
      List<Decision> admitted = run(requests, admission::admit);
      long ok = admitted.stream().filter(Decision::admitted).count();
      report(redis, "admit (window filling up to N)", ok);

      resetStats(redis);
      run(admitted, d -> admission.settle(d.reservation(), new Settlement(300, new BigDecimal("0.0006"))));
      report(redis, "settle", n);

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
      long filled = run(fill, admission::admit).stream().filter(Decision::admitted).count();
      LOG.info("tpm window filled with {} requests", filled);
      resetStats(redis);
      long refusals = run(refused, admission::admit).stream().filter(d -> !d.admitted()).count();
      report(redis, "tpm refusal with Retry-After (window of N requests)", refusals);
    } finally {
      vertx.close().await(WAIT_S, TimeUnit.SECONDS);
      server.stop();
    }
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

  private static void resetStats(Redis redis) throws Exception {
    redis.send(Request.cmd(Command.CONFIG).arg("RESETSTAT")).await(WAIT_S, TimeUnit.SECONDS);
  }

  private static String info(Redis redis, String section) throws Exception {
    return redis.send(Request.cmd(Command.INFO).arg(section)).await(WAIT_S, TimeUnit.SECONDS).toString();
  }

  /** Logs the script calls of the phase (evalsha, and eval if a NOSCRIPT fell back to it). */
  private static void report(Redis redis, String phase, long outcomes) throws Exception {
    info(redis, "commandstats").lines()
        .filter(l -> l.startsWith("cmdstat_evalsha:") || l.startsWith("cmdstat_eval:"))
        .forEach(l -> LOG.info("{} ({} outcomes): {}", phase, outcomes, l));
  }
}
