package io.tollgate.connector.oauth;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access tokens of this connector node, one per credential (a service-account key, an Entra ID
 * client secret), shared by every connector instance. A token is fetched once and reused until it
 * comes within the refresh margin of its expiry; then one refresh starts in the background while
 * calls keep using the still-valid token, so no call waits for a token endpoint unless there is no
 * valid token at all. Whatever happens, at most one fetch per credential is in flight
 * (single-flight): a burst of calls on a cold node costs one token request, not one per call.
 * A failed fetch is not cached: the next call tries again.
 *
 * <p>State changes are short and synchronized (calls arrive on several event loops); results are
 * handed back on the caller's context.
 */
public final class TokenCache {

  /** Refresh this long before expiry (Google and Entra tokens live an hour). */
  public static final long DEFAULT_REFRESH_MARGIN_MS = 300_000;

  private static final Logger LOG = LoggerFactory.getLogger(TokenCache.class);

  private final Vertx vertx;
  private final LongSupplier clock;
  private final long refreshMarginMs;
  private final Map<String, Entry> entries = new HashMap<>();

  private static final class Entry {
    AccessToken token;
    long obtainedAt;
    Future<AccessToken> inflight;
  }

  public TokenCache(Vertx vertx, LongSupplier clock) {
    this(vertx, clock, DEFAULT_REFRESH_MARGIN_MS);
  }

  public TokenCache(Vertx vertx, LongSupplier clock, long refreshMarginMs) {
    this.vertx = vertx;
    this.clock = clock;
    this.refreshMarginMs = refreshMarginMs;
  }

  /** The clock tokens' expiry times are on; fetchers compute {@code expiresAtMs} with it. */
  public long now() {
    return clock.getAsLong();
  }

  /**
   * A valid token for {@code key}, fetching one with {@code fetch} when there is none or it is due
   * for refresh. {@code key} identifies the credential (never the secret itself: a digest of it).
   */
  public Future<String> token(String key, Supplier<Future<AccessToken>> fetch) {
    Future<AccessToken> wait;
    AccessToken current;
    synchronized (this) {
      Entry entry = entries.computeIfAbsent(key, k -> new Entry());
      long now = clock.getAsLong();
      current = entry.token != null && entry.token.expiresAtMs() > now ? entry.token : null;
      boolean due = current == null || current.expiresAtMs() - margin(entry) <= now;
      Future<AccessToken> started = null;
      if (due && entry.inflight == null) {
        started = start(key, entry, fetch);
        // A fetch that completed at once (a malformed key) is not in flight: the next call retries.
        entry.inflight = started.isComplete() ? null : started;
      }
      wait = current != null ? null : entry.inflight != null ? entry.inflight : started;
    }
    if (wait == null) {
      return Future.succeededFuture(current.value());
    }
    return onCallerContext(wait.map(AccessToken::value));
  }

  /**
   * The upstream refused a token (401): whichever credential it belongs to drops it, so the next
   * call fetches a new one instead of failing until the old one expires. Unknown values (API keys)
   * are ignored.
   */
  public synchronized void rejected(String tokenValue) {
    if (tokenValue == null) {
      return;
    }
    for (Entry e : entries.values()) {
      if (e.token != null && tokenValue.equals(e.token.value())) {
        e.token = null;
      }
    }
  }

  /** Completes when every fetch in flight now has ended, however it ended (background refreshes included). */
  public synchronized Future<Void> whenIdle() {
    List<Future<?>> inflight = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (e.inflight != null) {
        inflight.add(e.inflight.otherwiseEmpty());
      }
    }
    return onCallerContext(Future.all(inflight).mapEmpty());
  }

  /** How many credentials have a token or a fetch in flight (for tests and metrics). */
  public synchronized int size() {
    return entries.size();
  }

  /**
   * The margin for an entry's token: the default, but never more than half the token's lifetime,
   * so a short-lived token is still used for a while before it is refreshed.
   */
  private long margin(Entry entry) {
    return Math.min(refreshMarginMs, Math.max(0, (entry.token.expiresAtMs() - entry.obtainedAt) / 2));
  }

  private Future<AccessToken> start(String key, Entry entry, Supplier<Future<AccessToken>> fetch) {
    Future<AccessToken> fetched;
    try {
      fetched = fetch.get();
    } catch (RuntimeException e) {
      fetched = Future.failedFuture(e);
    }
    return fetched.andThen(ar -> {
      synchronized (this) {
        entry.inflight = null;
        long now = clock.getAsLong();
        if (ar.succeeded()) {
          entry.token = ar.result();
          entry.obtainedAt = now;
        }
        // Tokens of credentials no longer used (a rotated secret) would otherwise stay forever.
        entries.values().removeIf(e -> e != entry && e.inflight == null
            && (e.token == null || e.token.expiresAtMs() <= now));
      }
      if (ar.failed()) {
        LOG.warn("token_key={}: cannot obtain an access token: {}", key.substring(0, Math.min(12, key.length())),
            ar.cause().getMessage());
      }
    });
  }

  private <T> Future<T> onCallerContext(Future<T> future) {
    if (future.isComplete()) {
      return future;
    }
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    future.onComplete(ar -> context.runOnContext(v -> promise.handle(ar)));
    return promise.future();
  }
}
