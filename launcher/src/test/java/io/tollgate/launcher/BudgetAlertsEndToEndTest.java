package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Budget alerts and reconciliation end to end: OpenAI SDK traffic, webhooks, Redis against the ledger")
class BudgetAlertsEndToEndTest {

  static Vertx clients;
  static FakeOpenAiUpstream upstream;
  static EmbeddedRedisServer redisServer;
  static Tollgate gateway;
  static HttpServer receiver;
  static final List<JsonObject> received = new CopyOnWriteArrayList<>();
  static final CompletableFuture<Void> twoAlerts = new CompletableFuture<>();

  @BeforeAll
  static void start() {
    clients = Vertx.vertx();
    upstream = FakeOpenAiUpstream.start(clients, FakeOpenAiUpstream.Mode.STREAM);
    receiver = clients.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      received.add(body.toJsonObject());
      if (received.size() >= 2) {
        twoAlerts.complete(null);
      }
      req.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1").await();
    redisServer = EmbeddedRedisServer.start();
    // 19 prompt and 10 completion tokens a call at $2.5 / $10 per million: $0.0001475 a call.
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: billed
            deployments:
              - {id: billed-1, provider: openai, base_url: %s, api_key: "${UPSTREAM_KEY}",
                 input_price_per_mtok: 2.5, output_price_per_mtok: 10}
        keys:
          - name: test
            secret: %s
            budget_usd: {daily: 0.001}
        """.formatted(upstream.baseUrl(), TestGateway.KEY)), Set.of(Role.values()), false, "unused",
        redisServer.url());
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
    clients.close().await();
    redisServer.stop();
  }

  @Test
  @DisplayName("a key spending 59% then 88.5% of its daily budget posts the 50% and 80% alerts once; Redis and the "
      + "ledger agree until a counter is skewed")
  void alertsAndReconcile() throws Exception {
    var hook = TestGateway.admin(gateway, "POST", "/admin/v1/webhooks", new JsonObject()
        .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/budget").put("secret", "e2e"));
    assertThat(hook.status()).as(hook.body().encode()).isEqualTo(201);
    OpenAIClient client = TestGateway.openAi(gateway.httpPort(), TestGateway.KEY);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      // A small max_tokens keeps the reserved estimate near the real cost, so the budget admits six.
      ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder().model("billed")
          .maxCompletionTokens(10).addUserMessage("spend " + i).build());
      ids.add(c.id().substring("chatcmpl-".length()));
    }
    LedgerChecks.awaitRecords(gateway, ids, 20);
    twoAlerts.get(20, TimeUnit.SECONDS);
    String keyId = TestGateway.keyId(gateway, "test");
    assertThat(received).extracting(b -> b.getInteger("threshold_percent")).containsExactly(50, 80);
    assertThat(received).allSatisfy(b -> {
      assertThat(b.getString("key_id")).isEqualTo(keyId);
      assertThat(b.getString("budget_usd")).isEqualTo("0.001");
    });
    JsonArray listed = TestGateway.admin(gateway, "GET", "/admin/v1/alerts", null).body().getJsonArray("data");
    assertThat(listed).hasSize(2);

    String today = LocalDate.now(ZoneOffset.UTC).toString();
    var agree = TestGateway.admin(gateway, "POST", "/admin/v1/reconcile?day=" + today, null);
    assertThat(agree.status()).as(agree.body().encode()).isEqualTo(200);
    assertThat(agree.body().getBoolean("agree")).as(agree.body().encode()).isTrue();
    assertThat(agree.body().getInteger("checked")).isEqualTo(1);

    Redis redis = Redis.createClient(clients, redisServer.url());
    redis.send(Request.cmd(Command.INCRBY).arg("tg:usd:k:" + keyId + ":d:" + today.replace("-", ""))
        .arg(1_000)).await();
    var differ = TestGateway.admin(gateway, "POST", "/admin/v1/reconcile?day=" + today, null);
    assertThat(differ.body().getBoolean("agree")).isFalse();
    JsonObject d = differ.body().getJsonArray("differences").getJsonObject(0);
    assertThat(d.getString("key_id")).isEqualTo(keyId);
    assertThat(new BigDecimal(d.getJsonObject("ledger").getString("cost_usd"))).isEqualByComparingTo("0.000885");
    assertThat(new BigDecimal(d.getString("cost_difference_usd"))).isEqualByComparingTo("0.000001");
    assertThat(TestGateway.admin(gateway, "POST", "/admin/v1/reconcile?day=27-11", null).status()).isEqualTo(400);
    assertThat(TestGateway.metrics(gateway)).contains("tollgate_budget_alerts_total{kind=\"threshold\"} 2.0")
        .contains("tollgate_reconcile_differences 1.0");
  }
}
