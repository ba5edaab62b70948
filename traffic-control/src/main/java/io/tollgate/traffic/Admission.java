package io.tollgate.traffic;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

/**
 * Admission control: checks a request against every configured limit and reserves its estimated
 * tokens and cost in one step, then settles the reservation with the real usage. Thread-safe;
 * callable from any event loop. See the package documentation for the algorithms.
 */
public interface Admission {

  /** Exact across the cluster; fails (does not fall back) when Redis fails. */
  static RedisAdmission redis(Redis redis, TrafficOptions options) {
    return new RedisAdmission(redis, options);
  }

  /** In-memory limits of this node only. */
  static LocalAdmission local(TrafficOptions options) {
    return new LocalAdmission(options.getKeyPrefix());
  }

  /** Redis, falling back to local limits (or refusing, fail-closed) while Redis is unreachable. */
  static ResilientAdmission resilient(Vertx vertx, Redis redis, TrafficOptions options) {
    return new ResilientAdmission(vertx, new RedisAdmission(redis, options), options);
  }

  /**
   * Checks and reserves. Succeeds with a refusal for a limit (not a failure); fails only when the
   * limiter cannot answer.
   */
  Future<Decision> admit(AdmissionRequest request);

  /** Replaces the reservation by the real usage. Idempotent per request id. */
  Future<Void> settle(Reservation reservation, Settlement actual);

  /** For a request that never ran: gives back everything it reserved, its request count included. */
  Future<Void> release(Reservation reservation);
}
