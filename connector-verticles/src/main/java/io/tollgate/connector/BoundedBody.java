package io.tollgate.connector;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;

/**
 * Reads an upstream response body with a cap: {@code response.body()} would buffer whatever the
 * upstream sends, so one broken or hostile upstream could take the node's heap. Past the cap it
 * stops reading and resets the request, which closes the connection instead of returning it to the
 * pool with unread bytes.
 */
public final class BoundedBody {

  /** The body as read; {@code truncated} when the cap was hit and {@code bytes} is only its start. */
  public record Result(Buffer bytes, boolean truncated) {
  }

  private BoundedBody() {
  }

  /**
   * Completes with the whole body, or with the first {@code maxBytes} of it and {@code truncated}
   * (the request is reset then); fails if the connection fails before the body ends.
   */
  public static Future<Result> read(HttpClientRequest request, HttpClientResponse response, int maxBytes) {
    Promise<Result> promise = Promise.promise();
    Buffer acc = Buffer.buffer();
    String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && declaredOver(length, maxBytes)) {
      request.reset();
      return Future.succeededFuture(new Result(acc, true));
    }
    response.handler(chunk -> {
      if (promise.future().isComplete()) {
        return;
      }
      int room = maxBytes - acc.length();
      if (chunk.length() <= room) {
        acc.appendBuffer(chunk);
        return;
      }
      acc.appendBuffer(chunk, 0, room);
      promise.complete(new Result(acc, true));
      request.reset();
    });
    response.exceptionHandler(promise::tryFail);
    response.endHandler(v -> promise.tryComplete(new Result(acc, false)));
    return promise.future();
  }

  private static boolean declaredOver(String length, int maxBytes) {
    try {
      return Long.parseLong(length.trim()) > maxBytes;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
