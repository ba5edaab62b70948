package io.tollgate.traffic;

import io.tollgate.api.keys.Concurrency;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounded concurrency with a bounded FIFO queue and a maximum wait, per named scope (a deployment,
 * a tenant, the gateway). Within a scope each fair-share group (a tenant) has its own queue and
 * freed slots go round-robin across groups, so one tenant's burst cannot starve the others.
 *
 * <p>Threading: all state lives on one home context (the context that created the limiter) and is
 * touched only there, so it needs no locks. Calls from the home context run directly; calls from
 * any other thread hop to it, and their futures complete back on the caller's context. Use one
 * limiter per node for node-wide limits, or one per verticle instance for per-loop limits.
 */
public final class ConcurrencyLimiter {

  /** A slot in a scope. {@link #release()} frees it once; further calls do nothing. */
  public interface Permit {
    String scope();

    void release();
  }

  private final Map<String, AtomicInteger> byKind = new java.util.concurrent.ConcurrentHashMap<>();
  private final Vertx vertx;
  private final Context home;
  /**
   * The home context's event-loop thread, once known. Work may run inline only on it; contexts
   * are never compared by identity (handlers run on duplicates of a verticle's context).
   */
  private volatile Thread homeThread;
  private final Map<String, Scope> scopes = new HashMap<>();

  private ConcurrencyLimiter(Vertx vertx, Context home) {
    this.vertx = vertx;
    this.home = home;
    home.runOnContext(v -> homeThread = Thread.currentThread());
  }

  private boolean onHome() {
    return Thread.currentThread() == homeThread;
  }

  /** A limiter confined to the current context (or a new one if called outside Vert.x). */
  public static ConcurrencyLimiter create(Vertx vertx) {
    return new ConcurrencyLimiter(vertx, vertx.getOrCreateContext());
  }

  /** A permit in {@code scope}, queued in one shared queue. */
  public Future<Permit> acquire(String scope, Concurrency limits) {
    return acquire(scope, "", limits);
  }

  /**
   * A permit in {@code scope}, queued fairly among {@code group}s. Fails with a
   * {@link ConcurrencyLimitException}: at once if the scope's queue is full, after
   * {@code maxWaitMs} if no slot freed up in time.
   */
  public Future<Permit> acquire(String scope, String group, Concurrency limits) {
    if (!limits.limited()) {
      throw new IllegalArgumentException("acquire needs a max_concurrent; callers skip unlimited scopes");
    }
    Context caller = Vertx.currentContext();
    if (onHome()) {
      Promise<Permit> promise = Promise.promise();
      doAcquire(scope, group, limits, promise, null);
      return promise.future();
    }
    Promise<Permit> promise = Promise.promise();
    home.runOnContext(v -> doAcquire(scope, group, limits, promise, caller));
    return promise.future();
  }

  /** Running requests in a scope (for metrics and tests); read it on the home context. */
  public int active(String scope) {
    Scope s = scopes.get(scope);
    return s == null ? 0 : s.active;
  }

  /**
   * Requests waiting in every scope of a kind ({@code "key"}, {@code "tenant"}, {@code "deployment"}:
   * the part of a scope's name before ':'), for {@code tollgate_queue_depth{scope}}; any thread.
   */
  public int queuedOfKind(String kind) {
    AtomicInteger n = byKind.get(kind);
    return n == null ? 0 : n.get();
  }

  private AtomicInteger kindCounter(String scopeName) {
    int colon = scopeName.indexOf(':');
    return byKind.computeIfAbsent(colon < 0 ? scopeName : scopeName.substring(0, colon), k -> new AtomicInteger());
  }

  /** Waiting requests in a scope; read it on the home context. */
  public int queued(String scope) {
    Scope s = scopes.get(scope);
    return s == null ? 0 : s.queued;
  }

  private void doAcquire(String name, String group, Concurrency limits, Promise<Permit> promise,
                         Context caller) {
    Scope scope = scopes.computeIfAbsent(name, n -> new Scope(n, kindCounter(n)));
    scope.maxConcurrent = limits.maxConcurrent();
    if (scope.active < scope.maxConcurrent && scope.queued == 0) {
      scope.active++;
      deliver(caller, promise, new Slot(scope));
      return;
    }
    if (scope.queued >= limits.maxQueue()) {
      fail(caller, promise, new ConcurrencyLimitException(name, ConcurrencyLimitException.Reason.QUEUE_FULL,
          "too many concurrent requests for " + name + ": " + scope.active + " running, " + scope.queued + " queued"));
      dropIfIdle(scope);
      return;
    }
    Waiter w = new Waiter(group, promise, caller);
    ArrayDeque<Waiter> queue = scope.queues.computeIfAbsent(group, g -> {
      scope.turns.addLast(g);
      return new ArrayDeque<>();
    });
    queue.addLast(w);
    scope.queued++;
    scope.kind.incrementAndGet();
    w.timer = vertx.setTimer(Math.max(1, limits.maxWaitMs()), id -> expire(scope, w, limits.maxWaitMs()));
  }

  private void expire(Scope scope, Waiter w, long waitedMs) {
    ArrayDeque<Waiter> queue = scope.queues.get(w.group);
    if (queue == null || !queue.remove(w)) {
      return;
    }
    scope.queued--;
    scope.kind.decrementAndGet();
    if (queue.isEmpty()) {
      scope.queues.remove(w.group);
      scope.turns.remove(w.group);
    }
    fail(w.caller, w.promise, new ConcurrencyLimitException(scope.name, ConcurrencyLimitException.Reason.TIMEOUT,
        "no free slot for " + scope.name + " within " + waitedMs + " ms"));
    dropIfIdle(scope);
  }

  private void free(Scope scope) {
    scope.active--;
    while (scope.active < scope.maxConcurrent && scope.queued > 0) {
      String group = scope.turns.pollFirst();
      ArrayDeque<Waiter> queue = scope.queues.get(group);
      Waiter w = queue.pollFirst();
      if (queue.isEmpty()) {
        scope.queues.remove(group);
      } else {
        scope.turns.addLast(group);
      }
      scope.queued--;
      scope.kind.decrementAndGet();
      vertx.cancelTimer(w.timer);
      scope.active++;
      deliver(w.caller, w.promise, new Slot(scope));
    }
    dropIfIdle(scope);
  }

  private void dropIfIdle(Scope scope) {
    if (scope.active == 0 && scope.queued == 0) {
      scopes.remove(scope.name, scope);
    }
  }

  private static void deliver(Context caller, Promise<Permit> promise, Permit permit) {
    if (caller == null) {
      promise.complete(permit);
    } else {
      caller.runOnContext(v -> promise.complete(permit));
    }
  }

  private static void fail(Context caller, Promise<Permit> promise, Throwable error) {
    if (caller == null) {
      promise.fail(error);
    } else {
      caller.runOnContext(v -> promise.fail(error));
    }
  }

  private static final class Scope {
    final String name;
    final Map<String, ArrayDeque<Waiter>> queues = new HashMap<>();
    /** Groups with waiters, in the order they get the next free slot. */
    final ArrayDeque<String> turns = new ArrayDeque<>();
    /** The node-wide count of waiters in scopes of this kind, shared by every such scope. */
    final AtomicInteger kind;
    int maxConcurrent;
    int active;
    int queued;

    Scope(String name, AtomicInteger kind) {
      this.name = name;
      this.kind = kind;
    }
  }

  private static final class Waiter {
    final String group;
    final Promise<Permit> promise;
    final Context caller;
    long timer;

    Waiter(String group, Promise<Permit> promise, Context caller) {
      this.group = group;
      this.promise = promise;
      this.caller = caller;
    }
  }

  private final class Slot implements Permit {
    private final Scope scope;
    private final AtomicBoolean released = new AtomicBoolean();

    Slot(Scope scope) {
      this.scope = scope;
    }

    @Override
    public String scope() {
      return scope.name;
    }

    @Override
    public void release() {
      if (!released.compareAndSet(false, true)) {
        return;
      }
      if (onHome()) {
        free(scope);
      } else {
        home.runOnContext(v -> free(scope));
      }
    }
  }
}
