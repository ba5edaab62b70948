package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.batches.BatchRetrieveParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import io.tollgate.admin.store.ConfigStore;
import io.tollgate.admin.store.EmbeddedPg;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A batch survives the death of the node running it")
class BatchFailoverTest {

  private static final int LINES = 10;

  @Test
  @DisplayName("a worker node killed mid-run: another node takes over its lines once their lease runs out, every "
      + "line is answered exactly once and billed once")
  void workerKilledMidRun() throws Exception {
    Path config = TestGateway.writeConfig("""
        models:
          - name: slow-model
            deployments:
              - {id: slow-1, provider: mock, mock: {tokens: 4, chunk_delay_ms: 150}}
        """);
    String cluster = TestGateway.uniqueClusterName();
    EmbeddedRedisServer redis = EmbeddedRedisServer.start();
    EmbeddedPg postgres = EmbeddedPg.start(TestGateway.freshDataDir(), 0);
    Map<String, String> env = new HashMap<>(TestGateway.ENV);
    env.put("TOLLGATE_BATCH_LEASE_MS", "1500");
    env.put("TOLLGATE_BATCH_CONCURRENCY", "2");
    Tollgate admin = null;
    Tollgate first = null;
    Tollgate second = null;
    Vertx vertx = Vertx.vertx();
    Pool db = ConfigStore.pool(vertx, postgres.uri(), 1);
    try {
      admin = TestGateway.start(config, Set.of(Role.ADMIN, Role.ROUTER, Role.CONNECTOR, Role.BILLING), true,
          cluster, null, postgres.uri(), TestGateway.freshDataDir(), env);
      first = TestGateway.start(null, Set.of(Role.EDGE), true, cluster, redis.url(), postgres.uri(),
          TestGateway.freshDataDir(), env);
      assertThat(TestGateway.awaitReady(first)).isEqualTo(200);
      OpenAIClient client = TestGateway.openAi(first.httpPort(), TestGateway.KEY);
      FileObject file = client.files().create(FileCreateParams.builder()
          .file(BatchJobsTest.jsonl(BatchJobsTest.lines(LINES, "slow-model"))).purpose(FilePurpose.BATCH).build());
      Batch batch = client.batches().create(BatchCreateParams.builder().inputFileId(file.id())
          .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
          .completionWindow(BatchCreateParams.CompletionWindow._24H).build());

      // Some lines done, others in flight on the first node: kill it (no drain). Between two lines
      // the worker may hold none for a moment, so wait for an instant when both hold.
      long deadline = System.nanoTime() + 30_000_000_000L;
      long running = 0;
      while (client.batches().retrieve(BatchRetrieveParams.builder().batchId(batch.id()).build())
          .requestCounts().orElseThrow().completed() < 2
          || (running = count(db, "SELECT count(*) FROM batch_lines WHERE state = 'running'")) == 0) {
        assertThat(System.nanoTime()).as("first lines done and others running within 30 s").isLessThan(deadline);
        Thread.sleep(20);
      }
      first.close().await();
      first = null;
      assertThat(running).as("lines in flight when the node died").isPositive();

      second = TestGateway.start(null, Set.of(Role.EDGE), true, cluster, redis.url(), postgres.uri(),
          TestGateway.freshDataDir(), env);
      assertThat(TestGateway.awaitReady(second)).isEqualTo(200);
      OpenAIClient other = TestGateway.openAi(second.httpPort(), TestGateway.KEY);
      Batch done = BatchJobsTest.awaitEnd(other, batch.id(), 60);
      assertThat(done.status().asString()).isEqualTo("completed");
      assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(LINES);
      assertThat(done.requestCounts().orElseThrow().failed()).isZero();
      Map<String, JsonObject> results = BatchJobsTest.content(other, done.outputFileId().orElseThrow());
      assertThat(results).hasSize(LINES);
      assertThat(count(db, "SELECT count(*) FROM batch_lines WHERE tries > 1")).as("lines run again after the kill")
          .isPositive();

      // Billed once per line, whatever ran twice upstream: the ledger keeps one record per request id.
      List<String> requestIds = new ArrayList<>();
      results.values().forEach(r -> requestIds.add(r.getJsonObject("response").getString("request_id")));
      assertThat(requestIds).doesNotHaveDuplicates();
      LedgerChecks.awaitRecords(admin, requestIds, 20);
      assertThat(LedgerChecks.totals(admin, "slow-model").getLong("requests")).isEqualTo(LINES);
    } finally {
      db.close();
      vertx.close();
      for (Tollgate node : new Tollgate[] {second, first, admin}) {
        if (node != null) {
          node.close().await();
        }
      }
      redis.stop();
      postgres.close();
    }
  }

  private static long count(Pool db, String sql) {
    return db.query(sql).execute().await().iterator().next().getLong(0);
  }
}
