package io.tollgate.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.usage.UsageBatch;
import io.tollgate.api.usage.UsageEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Requests refused at the edge are audited once their key is known")
class RefusedUsageTest {

  private Vertx vertx;
  private EdgeVerticle edge;
  private HttpClientAgent http;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Codecs.registerAll(vertx);
    edge = TestEdge.start(vertx, EdgeOptions.defaults());
    http = vertx.createHttpClient();
  }

  @AfterEach
  void stop() {
    TestEdge.await(vertx.close());
  }

  private int chat(String secret, String model) {
    return TestEdge.await(http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
            .setPort(edge.actualPort()).setURI("/v1/chat/completions").putHeader("authorization", "Bearer " + secret)
            .putHeader("content-type", "application/json"))
        .compose(req -> req.send("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .compose(resp -> resp.body().map(b -> resp.statusCode())));
  }

  @Test
  @DisplayName("an unknown model with a valid key is sent to audit with who asked and why; a bad key is not")
  void refusedEvent() throws Exception {
    var events = new CopyOnWriteArrayList<UsageEvent>();
    CompletableFuture<UsageEvent> first = new CompletableFuture<>();
    TestEdge.await(vertx.eventBus().<UsageBatch>consumer(Addresses.AUDIT_USAGE, m -> {
      events.addAll(m.body().events());
      first.complete(m.body().events().get(0));
      m.reply(null);
    }).completion());

    assertThat(chat("tg-not-a-key-0000000000", "gpt")).isEqualTo(401);
    assertThat(chat(TestEdge.SECRET, "no-such-model")).isEqualTo(404);

    // One outbox lane sends in order: had the bad-key request been emitted, it would have come first.
    UsageEvent e = first.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(e.keyId()).isEqualTo("k-any");
    assertThat(e.tenantId()).isEqualTo("t-1");
    assertThat(e.model()).isEqualTo("no-such-model");
    assertThat(e.error()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
    assertThat(e.side()).isEqualTo(ErrorCode.Side.CLIENT);
    assertThat(e.status()).isEqualTo(Outcome.Status.ERROR);
    assertThat(e.deploymentId()).isNull();
    assertThat(e.costUsd()).isZero();
  }
}
