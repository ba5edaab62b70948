package io.tollgate.api.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Write batcher: a batch is written when full or when its oldest item is due, never early")
class BatcherTest {

  private Vertx vertx;
  private final List<List<String>> writes = new CopyOnWriteArrayList<>();
  private final List<Promise<Void>> commits = new CopyOnWriteArrayList<>();
  private final List<Long> writtenAt = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Future<?> write(List<String> batch) {
    writtenAt.add(System.nanoTime());
    writes.add(List.copyOf(batch));
    Promise<Void> commit = Promise.promise();
    commits.add(commit);
    return commit.future();
  }

  private <T> T onLoop(Supplier<T> action) throws Exception {
    Promise<T> p = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> p.complete(action.get()));
    return p.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("what arrives during a write waits for a full batch (or its deadline) instead of following at once in a small transaction")
  void noSmallBatchRightAfterAWrite() throws Exception {
    // A deadline of a minute: within the test only a full batch can be written.
    Batcher<String> batcher = onLoop(() -> new Batcher<>(vertx, 2, 60_000, 100, this::write));
    List<Promise<Void>> acks = List.of(Promise.promise(), Promise.promise(), Promise.promise());
    onLoop(() -> {
      batcher.add(List.of("a1", "a2"), acks.get(0));
      batcher.add(List.of("b"), acks.get(1));
      return null;
    });
    assertThat(writes).containsExactly(List.of("a1", "a2"));
    onLoop(() -> commits.get(0).tryComplete());
    // One more turn: anything the commit triggered has run.
    onLoop(() -> null);
    assertThat(writes).hasSize(1);
    assertThat(acks.get(0).future().succeeded()).isTrue();
    assertThat(acks.get(1).future().isComplete()).isFalse();
    onLoop(() -> {
      batcher.add(List.of("c"), acks.get(2));
      return null;
    });
    assertThat(writes).containsExactly(List.of("a1", "a2"), List.of("b", "c"));
    onLoop(() -> commits.get(1).tryComplete());
    assertThat(acks.get(1).future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isNull();
    assertThat(acks.get(2).future().succeeded()).isTrue();
  }

  @Test
  @DisplayName("a lone item is written once its deadline passed, not before")
  void loneItemAtDeadline() throws Exception {
    Batcher<String> batcher = onLoop(() -> new Batcher<>(vertx, 100, 50, 100, this::write));
    Promise<Void> ack = Promise.promise();
    long added = onLoop(() -> {
      batcher.add(List.of("x"), ack);
      return System.nanoTime();
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (writes.isEmpty() && System.nanoTime() < deadline) {
      onLoop(() -> null);
    }
    assertThat(writes).containsExactly(List.of("x"));
    assertThat(writtenAt.get(0) - added).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
  }
}
