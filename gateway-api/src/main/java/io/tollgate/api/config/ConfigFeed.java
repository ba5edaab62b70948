package io.tollgate.api.config;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration a node serves from, kept in memory and current within a second: loads a
 * {@link ConfigSnapshot} from the admin role (retrying until one answers), then applies the
 * {@link ConfigEvent}s published on {@link ConfigAddresses#EVENTS} in version order. A missed
 * event (a version gap, or a periodic check finding the admin ahead) triggers a full reload.
 * When the admin role or its database is down the last snapshot is kept, so traffic goes on.
 *
 * <p>Readers call {@link #current()} from any thread: it is one volatile read of an immutable
 * {@link ConfigIndex}. Changes happen on the context that called {@link #start()}.
 */
public final class ConfigFeed {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigFeed.class);

  private final Vertx vertx;
  private final ConfigFeedOptions options;
  private final DeliveryOptions delivery;
  private final List<Consumer<ConfigIndex>> listeners = new CopyOnWriteArrayList<>();
  private final Promise<Void> firstLoad = Promise.promise();
  private volatile ConfigIndex current = ConfigIndex.EMPTY;
  private volatile boolean ready;

  // Touched only on the feed's context; synchronized anyway because callers may start it anywhere.
  private final TreeMap<Long, ConfigEvent> pending = new TreeMap<>();
  private boolean loading;
  private boolean closed;
  private boolean warnedUnavailable;
  private MessageConsumer<ConfigEvent> consumer;
  private long timerId = -1;

  public ConfigFeed(Vertx vertx) {
    this(vertx, new ConfigFeedOptions());
  }

  public ConfigFeed(Vertx vertx, ConfigFeedOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.delivery = new DeliveryOptions().setSendTimeout(options.getRequestTimeoutMs());
  }

  /**
   * Subscribes to events and starts loading. Completes once subscribed, not once loaded (an admin
   * node may start later): see {@link #whenReady()}.
   */
  public Future<Void> start() {
    Context context = vertx.getOrCreateContext();
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> {
      consumer = vertx.eventBus().consumer(ConfigAddresses.EVENTS, m -> onEvent(m.body()));
      consumer.completion().onComplete(ar -> {
        if (ar.succeeded()) {
          reload();
          timerId = vertx.setPeriodic(options.getCheckIntervalMs(), id -> check());
        }
        started.handle(ar);
      });
    });
    return started.future();
  }

  /** Stops listening; the last snapshot stays readable. */
  public Future<Void> close() {
    synchronized (this) {
      closed = true;
    }
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** The configuration as of {@link #version()}; {@link ConfigIndex#EMPTY} before the first load. */
  public ConfigIndex current() {
    return current;
  }

  public long version() {
    return current.version();
  }

  /** Whether a snapshot has been loaded (readiness of a node that serves traffic). */
  public boolean ready() {
    return ready;
  }

  /** Completes when the first snapshot has been loaded. */
  public Future<Void> whenReady() {
    return firstLoad.future();
  }

  /** Called on the feed's context with the new index after every change. */
  public void onChange(Consumer<ConfigIndex> listener) {
    listeners.add(listener);
  }

  private synchronized void onEvent(ConfigEvent event) {
    if (closed) {
      return;
    }
    if (loading || !ready) {
      pending.put(event.version(), event);
      return;
    }
    if (event.version() <= current.version()) {
      return;
    }
    pending.put(event.version(), event);
    install(drain(current));
    if (!pending.isEmpty()) {
      LOG.info("config event gap: at version {}, received {}; reloading", current.version(), pending.firstKey());
      reload();
    }
  }

  /** Applies buffered events that follow the current version without a gap. */
  private ConfigIndex drain(ConfigIndex index) {
    while (!pending.isEmpty() && pending.firstKey() <= index.version() + 1) {
      ConfigEvent event = pending.pollFirstEntry().getValue();
      if (event.version() == index.version() + 1) {
        index = index.apply(event);
      }
    }
    return index;
  }

  private synchronized void reload() {
    if (loading || closed) {
      return;
    }
    loading = true;
    vertx.eventBus().<ConfigSnapshot>request(ConfigAddresses.SNAPSHOT, null, delivery)
        .onComplete(ar -> {
          if (ar.succeeded()) {
            loaded(ar.result().body());
          } else {
            failedLoad(ar.cause());
          }
        });
  }

  private synchronized void loaded(ConfigSnapshot snapshot) {
    loading = false;
    warnedUnavailable = false;
    pending.headMap(snapshot.version(), true).clear();
    ready = true;
    install(drain(new ConfigIndex(snapshot)));
    LOG.debug("config snapshot loaded at version {}", current.version());
    firstLoad.tryComplete();
    if (!pending.isEmpty()) {
      // Events beyond the snapshot with a hole before them: load again, but not in a tight loop.
      vertx.setTimer(options.getRetryIntervalMs(), id -> reload());
    }
  }

  private synchronized void failedLoad(Throwable cause) {
    loading = false;
    if (!warnedUnavailable) {
      warnedUnavailable = true;
      LOG.warn("config snapshot unavailable ({}); keeping version {}", cause.getMessage(), current.version());
    }
    if (!ready && !closed) {
      vertx.setTimer(options.getRetryIntervalMs(), id -> reload());
    }
  }

  private void check() {
    if (!ready) {
      reload();
      return;
    }
    vertx.eventBus().<Long>request(ConfigAddresses.VERSION, null, delivery).onComplete(ar -> {
      if (ar.succeeded() && ar.result().body() != null && ar.result().body() != current.version()) {
        LOG.info("config at version {} but admin is at {}; reloading", current.version(), ar.result().body());
        reload();
      }
    });
  }

  private void install(ConfigIndex index) {
    if (index == current) {
      return;
    }
    current = index;
    for (Consumer<ConfigIndex> listener : listeners) {
      try {
        listener.accept(index);
      } catch (RuntimeException e) {
        LOG.error("config change listener failed", e);
      }
    }
  }
}
