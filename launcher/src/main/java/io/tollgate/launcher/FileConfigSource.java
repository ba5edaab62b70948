package io.tollgate.launcher;

import io.tollgate.api.config.ConfigIndex;
import io.tollgate.api.config.GatewayConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's configuration taken from its own {@code --config} file (no database, no admin node:
 * GitOps deployments where every node gets the same file). The file is read again every
 * {@link #DEFAULT_POLL_MS} ms without blocking an event loop (an async read, then parsing on a
 * worker); a changed file replaces the whole view at once, a broken one is logged and the last
 * good view stays. Readers on any thread see one complete view or the next (a volatile swap of an
 * immutable index).
 */
final class FileConfigSource implements Supplier<ConfigIndex> {

  private static final Logger LOG = LoggerFactory.getLogger(FileConfigSource.class);
  /** How often the file is checked: a change is served within this plus a parse, well under 5 s. */
  static final long DEFAULT_POLL_MS = 1_000;

  private final Vertx vertx;
  private final Path file;
  private final Function<String, String> env;
  private final long pollMs;
  private volatile ConfigIndex current;
  /** Touched only on {@link #context}. */
  private byte[] lastBytes;
  private boolean checking;
  private Context context;
  private long timer = -1;
  private volatile long reloads;
  private volatile long failures;

  FileConfigSource(Vertx vertx, Path file, Function<String, String> env, GatewayConfig initial, long pollMs) {
    this.vertx = vertx;
    this.file = file;
    this.env = env;
    this.pollMs = pollMs;
    this.current = new ConfigIndex(Snapshots.fromConfig(initial));
  }

  @Override
  public ConfigIndex get() {
    return current;
  }

  /** Reads the file once to know its bytes, then checks it on a timer. */
  void start() {
    context = vertx.getOrCreateContext();
    context.runOnContext(v -> vertx.fileSystem().readFile(file.toString()).onComplete(ar -> {
      if (ar.succeeded()) {
        lastBytes = ar.result().getBytes();
      }
      timer = vertx.setPeriodic(pollMs, id -> check());
    }));
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  long reloads() {
    return reloads;
  }

  long failures() {
    return failures;
  }

  private void check() {
    if (checking) {
      return;
    }
    checking = true;
    vertx.fileSystem().readFile(file.toString())
        .compose(buffer -> changed(buffer) ? reload(buffer) : io.vertx.core.Future.succeededFuture())
        .onComplete(ar -> {
          checking = false;
          if (ar.failed()) {
            failures++;
            LOG.warn("config file {} not applied, the previous configuration stays: {}", file,
                ar.cause().getMessage());
          }
        });
  }

  private boolean changed(Buffer buffer) {
    byte[] bytes = buffer.getBytes();
    if (Arrays.equals(bytes, lastBytes)) {
      return false;
    }
    lastBytes = bytes;
    return true;
  }

  private io.vertx.core.Future<Void> reload(Buffer buffer) {
    return vertx.executeBlocking(() -> {
      GatewayConfig config = ConfigLoader.load(new ByteArrayInputStream(buffer.getBytes()), env, file.toString());
      return new ConfigIndex(Snapshots.fromConfig(config));
    }, false).map(index -> {
      current = index;
      reloads++;
      LOG.info("config file {} reloaded: {} models, {} keys", file, index.models().size(), index.keys().size());
      return null;
    });
  }
}
