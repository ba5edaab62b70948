package io.tollgate.traffic;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The same checks as {@link RedisAdmission}, in this node's memory: what a node enforces while
 * Redis is unreachable. Approximate by nature: each node counts only what it admitted itself, so
 * with N nodes up to N times a limit can pass cluster-wide. Synchronized (critical sections are a
 * few map operations, shared by all event loops of the node).
 */
public final class LocalAdmission implements Admission {

  /** A sliding log: request id to {time, amount}, in admission order. */
  private static final class Window {
    final LinkedHashMap<String, long[]> entries = new LinkedHashMap<>();
    long sum;

    void trim(long cutoff) {
      Iterator<long[]> it = entries.values().iterator();
      while (it.hasNext()) {
        long[] e = it.next();
        if (e[0] > cutoff) {
          break;
        }
        sum -= e[1];
        it.remove();
      }
    }

    long resetMs(long now) {
      return entries.isEmpty() ? Plan.WINDOW_MS : entries.values().iterator().next()[0] + Plan.WINDOW_MS - now;
    }

    long retryMs(long need, long now) {
      long freed = 0;
      for (long[] e : entries.values()) {
        freed += e[1];
        if (freed >= need) {
          return e[0] + Plan.WINDOW_MS - now;
        }
      }
      return Plan.WINDOW_MS;
    }
  }

  /** A period counter; {@code expiresAt} 0 for never. */
  private static final class Counter {
    long value;
    long expiresAt;
  }

  private final String prefix;
  private final Map<String, Window> windows = new HashMap<>();
  private final Map<String, Counter> counters = new HashMap<>();
  private final Map<String, Long> reserved = new HashMap<>();

  LocalAdmission(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public Future<Decision> admit(AdmissionRequest r) {
    return Future.succeededFuture(admitNow(r));
  }

  synchronized Decision admitNow(AdmissionRequest r) {
    long now = r.nowMs();
    List<Plan.Check> checks = Plan.checks(r, prefix);
    long[] used = new long[checks.size()];
    long[] reset = new long[checks.size()];
    int failed = -1;
    long retry = 0;
    for (int i = 0; i < checks.size(); i++) {
      Plan.Check c = checks.get(i);
      if (c.type() == Plan.Type.COUNTER) {
        Counter counter = counter(c.key(), now);
        used[i] = counter == null ? 0 : counter.value;
        reset[i] = -1;
      } else {
        Window w = windows.computeIfAbsent(c.key(), k -> new Window());
        w.trim(now - Plan.WINDOW_MS);
        used[i] = w.sum;
        reset[i] = w.resetMs(now);
      }
      if (failed < 0 && used[i] + c.amount() > c.limit()) {
        failed = i;
        Window w = windows.get(c.key());
        retry = w == null ? 0 : w.retryMs(used[i] + c.amount() - c.limit(), now);
      }
    }
    if (failed < 0) {
      for (int i = 0; i < checks.size(); i++) {
        Plan.Check c = checks.get(i);
        if (c.type() == Plan.Type.COUNTER) {
          Counter counter = counters.computeIfAbsent(c.key(), k -> new Counter());
          counter.value += c.amount();
          counter.expiresAt = c.ttlMs() > 0 ? now + c.ttlMs() : 0;
        } else {
          Window w = windows.get(c.key());
          w.entries.put(r.requestId(), new long[] {now, c.amount()});
          w.sum += c.amount();
        }
        used[i] += c.amount();
      }
      reserved.put(r.requestId(), now);
    }
    return Plan.decide(r, checks, Reservation.Origin.LOCAL, failed, retry, used, reset);
  }

  @Override
  public Future<Void> settle(Reservation reservation, Settlement actual) {
    apply(reservation, actual, false);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> release(Reservation reservation) {
    apply(reservation, Settlement.NONE, true);
    return Future.succeededFuture();
  }

  synchronized boolean apply(Reservation reservation, Settlement actual, boolean release) {
    AdmissionRequest r = reservation.request();
    if (reserved.remove(r.requestId()) == null) {
      return false;
    }
    for (Plan.Check c : Plan.checks(r, prefix)) {
      long delta = c.actual(actual) - c.amount();
      if (c.type() == Plan.Type.COUNTER) {
        Counter counter = counters.get(c.key());
        if (counter != null) {
          counter.value = Math.max(0, counter.value + delta);
        }
        continue;
      }
      Window w = windows.get(c.key());
      long[] entry = w == null ? null : w.entries.get(r.requestId());
      if (entry == null) {
        continue;
      }
      if (c.type() == Plan.Type.COUNT && release) {
        w.entries.remove(r.requestId());
        w.sum -= entry[1];
      } else if (c.type() == Plan.Type.SUM) {
        entry[1] += delta;
        w.sum += delta;
      }
    }
    return true;
  }

  /**
   * Forgets windows and counters that no longer count and reservations never settled; call it
   * now and then (the resilient admission does, every minute).
   */
  public synchronized void purge(long now, long reservationTtlMs) {
    windows.values().forEach(w -> w.trim(now - Plan.WINDOW_MS));
    windows.values().removeIf(w -> w.entries.isEmpty());
    counters.values().removeIf(c -> c.expiresAt != 0 && c.expiresAt <= now);
    reserved.values().removeIf(at -> at + reservationTtlMs <= now);
  }

  private Counter counter(String key, long now) {
    Counter c = counters.get(key);
    if (c != null && c.expiresAt != 0 && c.expiresAt <= now) {
      counters.remove(key);
      return null;
    }
    return c;
  }

  /** Test and health view: the value of a counter or the sum of a window, 0 if absent. */
  synchronized long used(String key) {
    Window w = windows.get(key);
    if (w != null) {
      return w.sum;
    }
    Counter c = counters.get(key);
    return c == null ? 0 : c.value;
  }
}
