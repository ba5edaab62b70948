package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.tollgate.admin.store.EmbeddedPg;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 9's kill test: three clustered JVMs (edge+router+connector+admin here, billing and audit
 * each in a child JVM), OpenAI SDK traffic all along, billing killed with SIGKILL and started
 * again, then audit the same.
 */
@DisplayName("Kill -9 of the billing and of the audit JVM under load: every answered request recorded exactly once")
class KillNodesTest {

  @Test
  @DisplayName("answered requests are each in the ledger once with the right cost, and in the audit log once")
  void killBillingThenAudit() throws Exception {
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
    Map<String, String> env = Map.of("TOLLGATE_CLUSTER_NAME", cluster, "TOLLGATE_CLUSTER_PORT", "5801",
        "TOLLGATE_PG_URL", postgres.uri(), "TOLLGATE_MGMT_PORT", "0", "TOLLGATE_DATA_DIR",
        TestGateway.freshDataDir().toString());
    Tollgate front = null;
    List<NodeProcess> children = new ArrayList<>();
    Vertx checks = Vertx.vertx();
    AtomicBoolean load = new AtomicBoolean(true);
    try {
      // The three JVMs start together: a child JVM takes 10-30 s to join on a busy 2-core machine.
      NodeProcess billing = spawn(children, "billing", env);
      NodeProcess audit = spawn(children, "audit", env);
      front = TestGateway.start(config, Set.of(Role.EDGE, Role.ROUTER, Role.CONNECTOR, Role.ADMIN), true, cluster,
          redis.url(), postgres.uri(), TestGateway.freshDataDir());
      billing.awaitStarted(90);
      audit.awaitStarted(90);
      OpenAIClient client = TestGateway.openAi(front.httpPort(), TestGateway.KEY);
      List<String> ids = Collections.synchronizedList(new ArrayList<>());
      // Two clients sending back to back for the whole test: each answer's id is recorded.
      List<CompletableFuture<Void>> senders = new ArrayList<>();
      for (int s = 0; s < 2; s++) {
        senders.add(CompletableFuture.runAsync(() -> {
          int i = 0;
          while (load.get()) {
            String id = client.chat().completions().create(ChatCompletionCreateParams.builder().model("metered")
                .addUserMessage("count me " + i++).build()).id();
            ids.add(id.substring("chatcmpl-".length()));
          }
        }));
      }
      awaitAnswers(ids, 100);
      billing.kill();
      billing = spawn(children, "billing-again", env);
      awaitAnswers(ids, ids.size() + 100);
      // Audit goes down while billing is still coming back: both restarts overlap.
      audit.kill();
      audit = spawn(children, "audit-again", env);
      billing.awaitStarted(90);
      audit.awaitStarted(90);
      awaitAnswers(ids, ids.size() + 100);
      load.set(false);
      CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).join();

      List<String> answered = List.copyOf(ids);
      Tuple byId = Tuple.of(answered.toArray(String[]::new));
      Pool pg = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(postgres.uri())).using(checks).build();
      assertThat(awaitRows(pg, "usage_ledger", byId, answered.size())).isEqualTo(answered.size());
      List<JsonObject> records = new ArrayList<>();
      for (Row r : pg.preparedQuery("SELECT request_id, prompt_tokens, completion_tokens, cost_usd::text "
          + "FROM usage_ledger WHERE request_id = ANY($1)").execute(byId).await()) {
        records.add(new JsonObject().put("request_id", r.getString(0)).put("prompt_tokens", r.getLong(1))
            .put("completion_tokens", r.getLong(2)).put("cost_usd", r.getString(3)));
      }
      // Exactly once: one row per answered request, none twice, each at its price.
      assertThat(records).hasSize(answered.size());
      assertThat(records.stream().map(r -> r.getString("request_id")).distinct().count()).isEqualTo(answered.size());
      for (JsonObject r : records) {
        assertThat(r.getLong("completion_tokens")).isEqualTo(6);
        assertThat(new BigDecimal(r.getString("cost_usd")))
            .isEqualByComparingTo(LedgerChecks.expectedCost(r, "1.25", "7.5"));
      }
      // And the rollups (what reports and budgets read) counted each once.
      LedgerChecks.assertTotalsEqual(LedgerChecks.totals(front, "metered"), records);
      assertThat(awaitRows(pg, "audit_requests", byId, answered.size())).isEqualTo(answered.size());
      Row audited = pg.preparedQuery("SELECT count(*), count(DISTINCT request_id) FROM audit_requests "
          + "WHERE request_id = ANY($1)").execute(byId).await().iterator().next();
      assertThat(audited.getLong(0)).isEqualTo(answered.size());
      assertThat(audited.getLong(1)).isEqualTo(answered.size());
    } finally {
      load.set(false);
      for (NodeProcess p : children) {
        p.close();
      }
      if (front != null) {
        front.close().await();
      }
      checks.close().await();
      redis.stop();
      postgres.close();
    }
  }

  private static NodeProcess spawn(List<NodeProcess> children, String name, Map<String, String> env) {
    NodeProcess p = NodeProcess.start(name, name.startsWith("billing") ? "billing" : "audit", env);
    children.add(p);
    return p;
  }

  /** Waits until at least {@code n} requests were answered (the senders run meanwhile). */
  private static void awaitAnswers(List<String> ids, int n) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (ids.size() < n) {
      assertThat(System.nanoTime()).as("%d answers within 30 s", n).isLessThan(deadline);
      Thread.sleep(20); // the load runs on other threads; this only polls its progress
    }
  }

  /**
   * Rows of these requests in a table once there are {@code expected} (or after 60 s): events the
   * dead node never acknowledged come back after the outbox's 10 s ack timeout and its backoff.
   */
  private static long awaitRows(Pool pg, String table, Tuple ids, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      long n = pg.preparedQuery("SELECT count(*) FROM " + table + " WHERE request_id = ANY($1)").execute(ids).await()
          .iterator().next().getLong(0);
      if (n >= expected || System.nanoTime() > deadline) {
        return n;
      }
      Thread.sleep(100); // written asynchronously by the other JVMs; polled, with a deadline
    }
  }
}
