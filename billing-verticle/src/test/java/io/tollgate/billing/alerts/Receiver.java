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
  /** Completed with the n-th delivery (0-based) once it arrived; see {@link #delivery(int)}. */
  private final java.util.Map<Integer, java.util.concurrent.CompletableFuture<Delivery>> arrivals =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final HttpServer server;

  /** @param status the status of the n-th request (0-based) */
  Receiver(Vertx vertx, IntUnaryOperator status) {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      int n = received.size();
      Delivery d = new Delivery(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body.toString());
      received.add(d);
      delivery(n).complete(d);
      req.response().setStatusCode(status.applyAsInt(n)).end();
    }));
    try {
      server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The n-th delivery (0-based), now or when it arrives. */
  java.util.concurrent.CompletableFuture<Delivery> delivery(int n) {
    return arrivals.computeIfAbsent(n, i -> new java.util.concurrent.CompletableFuture<>());
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
