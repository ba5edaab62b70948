package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.tollgate.admin.store.EmbeddedPg;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Usage ledger in a cluster: a billing and audit node that stops and comes back loses and doubles nothing")
class LedgerClusterTest {

  @Test
  @DisplayName("requests answered before, while and after the billing+audit node is down are each billed once")
  void billingNodeRestarts() throws Exception {
    Path config = TestGateway.writeConfig("""
        models:
          - name: metered
            deployments:
              - {id: metered-1, provider: mock, mock: {tokens: 6}, input_price_per_mtok: 1.25,
                 output_price_per_mtok: 7.5}
        """);
    String cluster = TestGateway.uniqueClusterName();
    EmbeddedRedisServer redis = EmbeddedRedisServer.start();
    EmbeddedPg postgres = EmbeddedPg.start(TestGateway.freshDataDir(), 0);
    Tollgate front = null;
    Tollgate ledger = null;
    try {
      front = TestGateway.start(config, Set.of(Role.EDGE, Role.ROUTER, Role.CONNECTOR, Role.ADMIN), true, cluster,
          redis.url(), postgres.uri(), TestGateway.freshDataDir());
      ledger = startLedgerNode(cluster, postgres);
      assertThat(TestGateway.awaitReady(front)).isEqualTo(200);
      OpenAIClient client = TestGateway.openAi(front.httpPort(), TestGateway.KEY);
      List<String> ids = Collections.synchronizedList(new ArrayList<>());

      send(client, ids, 10);
      // Traffic keeps flowing while the node goes away: some events are in its batch, some in flight.
      CompletableFuture<Void> during = CompletableFuture.runAsync(() -> send(client, ids, 20));
      ledger.close().await();
      ledger = null;
      during.join();
      send(client, ids, 10);
      ledger = startLedgerNode(cluster, postgres);
      send(client, ids, 5);

      Map<String, JsonObject> records = LedgerChecks.awaitRecords(front, ids, 60);
      assertThat(records).hasSize(45);
      for (JsonObject r : records.values()) {
        assertThat(r.getString("status")).isEqualTo("ok");
        assertThat(new BigDecimal(r.getString("cost_usd")))
            .isEqualByComparingTo(LedgerChecks.expectedCost(r, "1.25", "7.5"));
      }
      // No duplicate: the rollups count each request once, and equal the records' sum.
      LedgerChecks.assertTotalsEqual(LedgerChecks.totals(front, "metered"), records.values());
    } finally {
      if (ledger != null) {
        ledger.close().await();
      }
      if (front != null) {
        front.close().await();
      }
      redis.stop();
      postgres.close();
    }
  }

  private static Tollgate startLedgerNode(String cluster, EmbeddedPg postgres) {
    return TestGateway.start(null, Set.of(Role.BILLING, Role.AUDIT), true, cluster, null, postgres.uri(),
        TestGateway.freshDataDir());
  }

  private static void send(OpenAIClient client, List<String> ids, int n) {
    for (int i = 0; i < n; i++) {
      String id = client.chat().completions().create(ChatCompletionCreateParams.builder().model("metered")
          .addUserMessage("count me " + i).build()).id();
      ids.add(id.substring("chatcmpl-".length()));
    }
  }
}
