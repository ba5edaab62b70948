package io.tollgate.connector;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for a future on the test thread, with a bound so a hanging test fails instead. */
public final class Await {

  public static final long DEFAULT_MS = 5_000;

  private Await() {
  }

  public static <T> T await(Future<T> future) {
    return await(future, DEFAULT_MS);
  }

  public static <T> T await(Future<T> future, long millis) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("future did not complete within " + millis + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public static Throwable awaitFailure(Future<?> future) {
    return awaitFailure(future, DEFAULT_MS);
  }

  public static Throwable awaitFailure(Future<?> future, long millis) {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure but got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("future did not complete within " + millis + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
