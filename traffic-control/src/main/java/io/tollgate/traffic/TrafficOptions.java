package io.tollgate.traffic;

import io.tollgate.api.keys.Limits;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisOptions;

/**
 * Options of traffic control, read once at start. JSON keys are the field names in snake case
 * ({@code redis_url}, {@code redis_timeout_ms}, ...).
 */
public class TrafficOptions {

  /** Null: no external Redis; the launcher starts an embedded one and sets the URL. */
  public static final String DEFAULT_REDIS_URL = null;
  /** Prefix of every Redis key, so one Redis can serve several gateways. */
  public static final String DEFAULT_KEY_PREFIX = "tg:";
  /**
   * A healthy Redis next to the gateway answers in well under a millisecond; 250 ms bounds what a
   * hung Redis adds to a request while keeping GC pauses, JIT warm-up and new pool connections on
   * a busy node from tripping degradation (which would make limits approximate).
   */
  public static final long DEFAULT_REDIS_TIMEOUT_MS = 250;
  /** How often a degraded node probes Redis to switch back. */
  public static final long DEFAULT_PROBE_INTERVAL_MS = 1_000;
  /**
   * Completion tokens reserved when a request sets no max_tokens. Settlement corrects it to the
   * real count, so this only decides how much headroom an unbounded request holds while it runs:
   * 1024 covers a typical chat answer without locking up a small tpm limit.
   */
  public static final int DEFAULT_MAX_TOKENS_ESTIMATE = 1024;
  public static final Long DEFAULT_GLOBAL_RPM = null;
  public static final Long DEFAULT_GLOBAL_TPM = null;
  /** Redis down: admit under local approximate limits (false) or refuse with 503 (true). */
  public static final boolean DEFAULT_FAIL_CLOSED = false;
  /** Settlements kept for replay while Redis is down; beyond it the oldest are dropped and counted. */
  public static final int DEFAULT_MAX_PENDING_SETTLEMENTS = 100_000;
  /**
   * The longest a reservation is held: one not settled within it (its node died, its settlement
   * was dropped) is given back by the sweeper. One hour is six times the default total upstream
   * timeout ({@code Timeouts.DEFAULT_TOTAL_MS}, 10 min), so failover over several deployments fits.
   * A request that runs longer still counts exactly: its settlement finds nothing held and adds
   * the real usage. It is also how long a settled request's tombstone stays (one small key per
   * request), which is what makes a late admit or a repeated settle harmless.
   */
  public static final long DEFAULT_RESERVATION_TTL_MS = 3_600_000L;
  /** How often each node looks for abandoned reservations (all nodes sweep; it is safe). */
  public static final long DEFAULT_SWEEP_INTERVAL_MS = 30_000;
  /** Reservations given back by one script run; a full batch is followed by the next at once. */
  public static final int DEFAULT_SWEEP_BATCH = 500;
  public static final int DEFAULT_REDIS_POOL_SIZE = 8;
  /** Every request waits for a pooled connection under load; the client's default (24) is far too low. */
  public static final int DEFAULT_REDIS_POOL_WAITING = 8_192;

  private String redisUrl = DEFAULT_REDIS_URL;
  private String keyPrefix = DEFAULT_KEY_PREFIX;
  private long redisTimeoutMs = DEFAULT_REDIS_TIMEOUT_MS;
  private long probeIntervalMs = DEFAULT_PROBE_INTERVAL_MS;
  private int maxTokensEstimate = DEFAULT_MAX_TOKENS_ESTIMATE;
  private Long globalRpm = DEFAULT_GLOBAL_RPM;
  private Long globalTpm = DEFAULT_GLOBAL_TPM;
  private boolean failClosed = DEFAULT_FAIL_CLOSED;
  private int maxPendingSettlements = DEFAULT_MAX_PENDING_SETTLEMENTS;
  private long reservationTtlMs = DEFAULT_RESERVATION_TTL_MS;
  private long sweepIntervalMs = DEFAULT_SWEEP_INTERVAL_MS;
  private int sweepBatch = DEFAULT_SWEEP_BATCH;
  private int redisPoolSize = DEFAULT_REDIS_POOL_SIZE;
  private int redisPoolWaiting = DEFAULT_REDIS_POOL_WAITING;

  public TrafficOptions() {
  }

  public TrafficOptions(JsonObject json) {
    redisUrl = json.getString("redis_url", DEFAULT_REDIS_URL);
    keyPrefix = json.getString("key_prefix", DEFAULT_KEY_PREFIX);
    redisTimeoutMs = json.getLong("redis_timeout_ms", DEFAULT_REDIS_TIMEOUT_MS);
    probeIntervalMs = json.getLong("probe_interval_ms", DEFAULT_PROBE_INTERVAL_MS);
    maxTokensEstimate = json.getInteger("max_tokens_estimate", DEFAULT_MAX_TOKENS_ESTIMATE);
    globalRpm = json.getLong("global_rpm", DEFAULT_GLOBAL_RPM);
    globalTpm = json.getLong("global_tpm", DEFAULT_GLOBAL_TPM);
    failClosed = json.getBoolean("fail_closed", DEFAULT_FAIL_CLOSED);
    maxPendingSettlements = json.getInteger("max_pending_settlements", DEFAULT_MAX_PENDING_SETTLEMENTS);
    reservationTtlMs = json.getLong("reservation_ttl_ms", DEFAULT_RESERVATION_TTL_MS);
    sweepIntervalMs = json.getLong("sweep_interval_ms", DEFAULT_SWEEP_INTERVAL_MS);
    sweepBatch = json.getInteger("sweep_batch", DEFAULT_SWEEP_BATCH);
    redisPoolSize = json.getInteger("redis_pool_size", DEFAULT_REDIS_POOL_SIZE);
    redisPoolWaiting = json.getInteger("redis_pool_waiting", DEFAULT_REDIS_POOL_WAITING);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("redis_url", redisUrl)
        .put("key_prefix", keyPrefix)
        .put("redis_timeout_ms", redisTimeoutMs)
        .put("probe_interval_ms", probeIntervalMs)
        .put("max_tokens_estimate", maxTokensEstimate)
        .put("global_rpm", globalRpm)
        .put("global_tpm", globalTpm)
        .put("fail_closed", failClosed)
        .put("max_pending_settlements", maxPendingSettlements)
        .put("reservation_ttl_ms", reservationTtlMs)
        .put("sweep_interval_ms", sweepIntervalMs)
        .put("sweep_batch", sweepBatch)
        .put("redis_pool_size", redisPoolSize)
        .put("redis_pool_waiting", redisPoolWaiting);
  }

  /** Client options for {@code Redis.createClient}: the URL and a pool sized for the hot path. */
  public RedisOptions toRedisOptions() {
    if (redisUrl == null) {
      throw new IllegalStateException("no redis_url: start an embedded Redis and set its URL first");
    }
    return new RedisOptions()
        .setConnectionString(redisUrl)
        .setMaxPoolSize(redisPoolSize)
        .setMaxPoolWaiting(redisPoolWaiting)
        // Commands one pipelined connection may have in flight (PipelinedRedis).
        .setMaxWaitingHandlers(redisPoolWaiting);
  }

  /** The gateway-wide limits for {@link AdmissionRequest#globalLimits()}. */
  public Limits globalLimits() {
    return globalRpm == null && globalTpm == null ? Limits.NONE : new Limits(globalRpm, globalTpm, null, null);
  }

  public String getRedisUrl() {
    return redisUrl;
  }

  public TrafficOptions setRedisUrl(String redisUrl) {
    this.redisUrl = redisUrl;
    return this;
  }

  public String getKeyPrefix() {
    return keyPrefix;
  }

  public TrafficOptions setKeyPrefix(String keyPrefix) {
    this.keyPrefix = keyPrefix;
    return this;
  }

  public long getRedisTimeoutMs() {
    return redisTimeoutMs;
  }

  public TrafficOptions setRedisTimeoutMs(long redisTimeoutMs) {
    this.redisTimeoutMs = redisTimeoutMs;
    return this;
  }

  public long getProbeIntervalMs() {
    return probeIntervalMs;
  }

  public TrafficOptions setProbeIntervalMs(long probeIntervalMs) {
    this.probeIntervalMs = probeIntervalMs;
    return this;
  }

  public int getMaxTokensEstimate() {
    return maxTokensEstimate;
  }

  public TrafficOptions setMaxTokensEstimate(int maxTokensEstimate) {
    this.maxTokensEstimate = maxTokensEstimate;
    return this;
  }

  public Long getGlobalRpm() {
    return globalRpm;
  }

  public TrafficOptions setGlobalRpm(Long globalRpm) {
    this.globalRpm = globalRpm;
    return this;
  }

  public Long getGlobalTpm() {
    return globalTpm;
  }

  public TrafficOptions setGlobalTpm(Long globalTpm) {
    this.globalTpm = globalTpm;
    return this;
  }

  public boolean isFailClosed() {
    return failClosed;
  }

  public TrafficOptions setFailClosed(boolean failClosed) {
    this.failClosed = failClosed;
    return this;
  }

  public int getMaxPendingSettlements() {
    return maxPendingSettlements;
  }

  public TrafficOptions setMaxPendingSettlements(int maxPendingSettlements) {
    this.maxPendingSettlements = maxPendingSettlements;
    return this;
  }

  public long getReservationTtlMs() {
    return reservationTtlMs;
  }

  public TrafficOptions setReservationTtlMs(long reservationTtlMs) {
    this.reservationTtlMs = reservationTtlMs;
    return this;
  }

  public long getSweepIntervalMs() {
    return sweepIntervalMs;
  }

  public TrafficOptions setSweepIntervalMs(long sweepIntervalMs) {
    this.sweepIntervalMs = sweepIntervalMs;
    return this;
  }

  public int getSweepBatch() {
    return sweepBatch;
  }

  public TrafficOptions setSweepBatch(int sweepBatch) {
    this.sweepBatch = sweepBatch;
    return this;
  }

  public int getRedisPoolSize() {
    return redisPoolSize;
  }

  public TrafficOptions setRedisPoolSize(int redisPoolSize) {
    this.redisPoolSize = redisPoolSize;
    return this;
  }

  public int getRedisPoolWaiting() {
    return redisPoolWaiting;
  }

  public TrafficOptions setRedisPoolWaiting(int redisPoolWaiting) {
    this.redisPoolWaiting = redisPoolWaiting;
    return this;
  }
}
