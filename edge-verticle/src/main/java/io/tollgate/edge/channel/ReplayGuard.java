package io.tollgate.edge.channel;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/**
 * The external channel's cluster-wide state in Redis: nonces already used, and bad signatures per
 * key. One round trip per signed request ({@link #admit}): whether the key reached its failure limit
 * and SET NX PX of the nonce, in one script. The failure counter is per key version, so an unfreeze
 * (a new version) starts it afresh without the admin role touching Redis.
 */
final class ReplayGuard {

  /** What {@link #admit} found. */
  enum Verdict { FRESH, REPLAYED, FROZEN }

  // KEYS[1] nonce, KEYS[2] failure counter; ARGV[1] nonce lifetime (ms), ARGV[2] failures that freeze.
  private static final String ADMIT = """
      local f = redis.call('GET', KEYS[2])
      if f and tonumber(f) >= tonumber(ARGV[2]) then return 2 end
      if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 1 end
      return 0""";

  // KEYS[1] failure counter; ARGV[1] period (ms), counted from the first failure.
  private static final String FAILED = """
      local n = redis.call('INCR', KEYS[1])
      if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
      return n""";

  private final Redis redis;
  private final String prefix;
  private final long nonceTtlMs;
  private final long freezeAfter;
  private final long periodMs;

  ReplayGuard(Redis redis, ChannelOptions options) {
    this.redis = redis;
    this.prefix = options.redisPrefix();
    this.nonceTtlMs = 2 * options.windowSeconds() * 1_000;
    this.freezeAfter = options.freezeAfter();
    this.periodMs = options.freezePeriodMs();
  }

  Future<Verdict> admit(String keyId, long keyVersion, String nonce) {
    return redis.send(Request.cmd(Command.EVAL).arg(ADMIT).arg(2).arg(prefix + "n:" + keyId + ":" + nonce)
            .arg(failures(keyId, keyVersion)).arg(nonceTtlMs).arg(freezeAfter))
        .map(r -> switch (r.toInteger()) {
          case 1 -> Verdict.FRESH;
          case 2 -> Verdict.FROZEN;
          default -> Verdict.REPLAYED;
        });
  }

  /** Counts one bad signature; completes with the count in the current period. */
  Future<Long> failed(String keyId, long keyVersion) {
    return redis.send(Request.cmd(Command.EVAL).arg(FAILED).arg(1).arg(failures(keyId, keyVersion)).arg(periodMs))
        .map(r -> r.toLong());
  }

  private String failures(String keyId, long keyVersion) {
    return prefix + "f:" + keyId + ":" + keyVersion;
  }
}
