package io.tollgate.billing.alerts;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

/** A loopback HTTP server that records what webhooks post to it and answers with a chosen status. */
final class Receiver implements AutoCloseable {

  record Delivery(MultiMap headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  final List<Delivery> received = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  /** @param status the status of the n-th request (0-based) */
  Receiver(Vertx vertx, IntUnaryOperator status) {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      int n = received.size();
      received.add(new Delivery(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body.toString()));
      req.response().setStatusCode(status.applyAsInt(n)).end();
    }));
    try {
      server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/hook";
  }

  List<JsonObject> bodies() {
    return received.stream().map(Delivery::json).toList();
  }

  @Override
  public void close() {
    server.close();
  }
}
