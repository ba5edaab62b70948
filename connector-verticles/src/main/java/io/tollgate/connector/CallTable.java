package io.tollgate.connector;

import io.tollgate.api.bus.Cancel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The calls in flight on one connector instance, by request id and attempt, and the cancels that
 * arrived before their call did. Confined to the verticle's event loop.
 *
 * <p>A cancel published for an attempt that timed out at the router may overtake the call itself
 * (the call waits for a concurrency slot, or sits in a slow node's queue); the cancel is remembered
 * for {@code tombstoneNanos} so the call is refused when it shows up instead of starting an
 * upstream call that nobody will read. At most {@code maxTombstones} are kept, oldest dropped first.
 */
final class CallTable {

  static final long DEFAULT_TOMBSTONE_MS = 300_000;
  static final int DEFAULT_MAX_TOMBSTONES = 10_000;

  private final Map<String, List<ActiveCall>> byRequest = new HashMap<>();
  private final LinkedHashMap<String, Long> tombstones = new LinkedHashMap<>();
  private final LongSupplier nanoClock;
  private final long tombstoneNanos;
  private final int maxTombstones;
  private int size;

  CallTable(LongSupplier nanoClock, long tombstoneMs, int maxTombstones) {
    this.nanoClock = nanoClock;
    this.tombstoneNanos = tombstoneMs * 1_000_000L;
    this.maxTombstones = maxTombstones;
  }

  boolean contains(String requestId, int attempt) {
    return find(requestId, attempt) != null;
  }

  void add(ActiveCall call) {
    byRequest.computeIfAbsent(call.call().requestId(), k -> new ArrayList<>(1)).add(call);
    size++;
  }

  void remove(ActiveCall call) {
    List<ActiveCall> list = byRequest.get(call.call().requestId());
    if (list != null && list.remove(call)) {
      size--;
      if (list.isEmpty()) {
        byRequest.remove(call.call().requestId());
      }
    }
  }

  int size() {
    return size;
  }

  List<ActiveCall> all() {
    List<ActiveCall> out = new ArrayList<>(size);
    byRequest.values().forEach(out::addAll);
    return out;
  }

  /** The calls a cancel applies to (a copy: cancelling removes them). */
  List<ActiveCall> matching(Cancel cancel) {
    List<ActiveCall> list = byRequest.get(cancel.requestId());
    if (list == null) {
      return List.of();
    }
    List<ActiveCall> out = new ArrayList<>(list.size());
    for (ActiveCall c : list) {
      if (cancel.matches(c.call().attempt())) {
        out.add(c);
      }
    }
    return out;
  }

  /** Remembers a cancel so that its call, should it arrive later, is refused. */
  void tombstone(Cancel cancel) {
    long now = nanoClock.getAsLong();
    purge(now);
    tombstones.put(cancel.requestId() + '#' + cancel.attempt(), now + tombstoneNanos);
    while (tombstones.size() > maxTombstones) {
      Iterator<String> eldest = tombstones.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
  }

  /** Whether this attempt was cancelled before it got here. */
  boolean cancelledEarly(String requestId, int attempt) {
    if (tombstones.isEmpty()) {
      return false;
    }
    long now = nanoClock.getAsLong();
    return live(requestId + '#' + attempt, now) || live(requestId + '#' + Cancel.ANY_ATTEMPT, now);
  }

  private boolean live(String key, long now) {
    Long until = tombstones.get(key);
    return until != null && now - until < 0;
  }

  private void purge(long now) {
    Iterator<Map.Entry<String, Long>> it = tombstones.entrySet().iterator();
    // Insertion order is expiry order (one TTL for all), so stop at the first live one.
    while (it.hasNext()) {
      if (now - it.next().getValue() >= 0) {
        it.remove();
      } else {
        return;
      }
    }
  }

  private ActiveCall find(String requestId, int attempt) {
    List<ActiveCall> list = byRequest.get(requestId);
    if (list != null) {
      for (ActiveCall c : list) {
        if (c.call().attempt() == attempt) {
          return c;
        }
      }
    }
    return null;
  }
}
