package io.tollgate.edge.channel;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.channel.ChannelAddresses;
import io.tollgate.api.channel.KeyFreeze;
import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.keys.Limits;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.redis.client.Redis;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies the signed requests of external keys: headers present, timestamp within the window,
 * HMAC right (constant-time), nonce never seen in the cluster. Bad signatures are counted per key in
 * Redis; at the limit the key is frozen (an admin node writes it into the config, so every edge
 * refuses it with 403 {@code key_frozen}; meanwhile the Redis counter already refuses it everywhere).
 * One node-wide instance, shared by the node's edge verticles.
 */
public final class ExternalChannel {

  public static final String TIMESTAMP = "x-tollgate-timestamp";
  public static final String NONCE = "x-tollgate-nonce";
  public static final String SIGNATURE = "x-tollgate-signature";
  public static final int NONCE_MIN = 16;
  public static final int NONCE_MAX = 128;

  /** The logger of audit-worthy channel events; its name lets operators route it apart. */
  private static final Logger AUDIT = LoggerFactory.getLogger("io.tollgate.audit.channel");
  private static final Logger LOG = LoggerFactory.getLogger(ExternalChannel.class);

  private final Vertx vertx;
  private final ChannelOptions options;
  private final SigningSecrets secrets;
  private final ReplayGuard guard;
  private final LongSupplier epochSeconds;

  public ExternalChannel(Vertx vertx, Redis redis, ChannelOptions options) {
    this(vertx, redis, options, () -> System.currentTimeMillis() / 1_000);
  }

  /** @param epochSeconds the gateway's clock (tests move it) */
  public ExternalChannel(Vertx vertx, Redis redis, ChannelOptions options, LongSupplier epochSeconds) {
    this.vertx = vertx;
    this.options = options;
    this.secrets = new SigningSecrets(vertx, options.secretTimeoutMs());
    this.guard = new ReplayGuard(redis, options);
    this.epochSeconds = epochSeconds;
  }

  public ChannelOptions options() {
    return options;
  }

  /**
   * Completes when the request is properly signed and fresh; fails with a {@link GatewayException}
   * (401 with its own code, 403 {@code key_frozen}, 503 when Redis or the admin role cannot answer).
   * Completes on whatever context Redis or the event bus answered on: callers hop back themselves.
   */
  public Future<Void> verify(ApiKey key, String method, String path, MultiMap headers, byte[] body,
                             String clientIp) {
    String timestamp = headers.get(TIMESTAMP);
    String nonce = headers.get(NONCE);
    String signature = headers.get(SIGNATURE);
    if (timestamp == null || nonce == null || signature == null) {
      return refuse(ErrorCode.SIGNATURE_MISSING, "This key's requests must be signed: send " + TIMESTAMP + ", "
          + NONCE + " and " + SIGNATURE + ".");
    }
    if (!validNonce(nonce)) {
      return refuse(ErrorCode.SIGNATURE_MISSING, NONCE + " must be " + NONCE_MIN + " to " + NONCE_MAX
          + " visible ASCII characters.");
    }
    long sent;
    try {
      sent = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      return refuse(ErrorCode.SIGNATURE_MISSING, TIMESTAMP + " must be a unix time in seconds.");
    }
    if (Math.abs(epochSeconds.getAsLong() - sent) > options.windowSeconds()) {
      return refuse(ErrorCode.TIMESTAMP_OUT_OF_WINDOW, TIMESTAMP + " is more than " + options.windowSeconds()
          + " seconds from the gateway's clock; sign with the current time.");
    }
    return secrets.of(key).compose(secret -> {
      if (!RequestSignature.matches(secret, method, path, timestamp, nonce, body, signature)) {
        return badSignature(key, clientIp);
      }
      return guard.admit(key.id(), key.version(), nonce)
          .recover(e -> Future.failedFuture(unavailable(e)))
          .compose(verdict -> switch (verdict) {
            case FRESH -> Future.<Void>succeededFuture();
            case REPLAYED -> refuse(ErrorCode.NONCE_REUSED, "This " + NONCE + " was used already; every request "
                + "needs a new one.");
            case FROZEN -> refuse(ErrorCode.KEY_FROZEN, frozenMessage());
          });
    });
  }

  /** The key with the channel's default limits wherever it sets none of its own. */
  public ApiKey withDefaults(ApiKey key) {
    Limits own = key.limits();
    Limits d = options.externalDefaults();
    if (d == Limits.NONE || (own.rpm() != null || d.rpm() == null) && (own.tpm() != null || d.tpm() == null)
        && (own.concurrency() != null || d.concurrency() == null)) {
      return key;
    }
    Limits merged = new Limits(own.rpm() != null ? own.rpm() : d.rpm(), own.tpm() != null ? own.tpm() : d.tpm(),
        own.tokenQuota(), own.budgetUsd(), own.concurrency() != null ? own.concurrency() : d.concurrency());
    return new ApiKey(key.id(), key.tenantId(), key.name(), key.secretHash(), key.models(), key.enabled(),
        key.expiresAt(), key.ipAllow(), merged, key.version(), key.cache(), key.channel(), key.frozen());
  }

  public static String frozenMessage() {
    return "This API key is frozen after too many requests with bad signatures; an administrator can unfreeze it.";
  }

  /**
   * Counts the failure; at the limit (and every further limit's worth, in case a freeze was lost)
   * asks an admin node to freeze the key and waits for its answer, so that the request that froze
   * the key answers after the freeze is committed.
   */
  private Future<Void> badSignature(ApiKey key, String clientIp) {
    GatewayException refused = new GatewayException(ErrorCode.SIGNATURE_INVALID,
        SIGNATURE + " does not match the request; sign method, path, timestamp, nonce and the body's SHA-256 "
            + "with the key's signing secret.");
    return guard.failed(key.id(), key.version()).compose(n -> {
      long limit = options.freezeAfter();
      if (n < limit || (n - limit) % limit != 0) {
        return Future.<Void>failedFuture(refused);
      }
      AUDIT.warn("key freezing key_id={} tenant_id={} failures={} period_ms={} client_ip={}", key.id(),
          key.tenantId(), n, options.freezePeriodMs(), clientIp);
      return vertx.eventBus().<Boolean>request(ChannelAddresses.FREEZE,
              new KeyFreeze(key.id(), key.version(), n, clientIp),
              new DeliveryOptions().setSendTimeout(options.secretTimeoutMs()))
          .transform(ar -> {
            if (ar.failed()) {
              // Redis refuses the key cluster-wide already; the next limit's worth of failures asks again.
              LOG.warn("could not record the freeze of key {} on an admin node: {}", key.id(), ar.cause().toString());
            }
            return Future.<Void>failedFuture(refused);
          });
    }, e -> {
      LOG.warn("could not count a bad signature of key {}: {}", key.id(), e.toString());
      return Future.failedFuture(refused);
    });
  }

  private static boolean validNonce(String nonce) {
    if (nonce.length() < NONCE_MIN || nonce.length() > NONCE_MAX) {
      return false;
    }
    for (int i = 0; i < nonce.length(); i++) {
      char c = nonce.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private static GatewayException unavailable(Throwable e) {
    LOG.warn("external channel: Redis did not answer the nonce check: {}", e.toString());
    return new GatewayException(ErrorCode.SERVICE_UNAVAILABLE, "The gateway cannot verify signed requests right "
        + "now; retry shortly.");
  }

  private static Future<Void> refuse(ErrorCode code, String message) {
    return Future.failedFuture(new GatewayException(code, message));
  }
}
