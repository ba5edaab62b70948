package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.tollgate.admin.store.EmbeddedPg;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Rate limits hold across the cluster, not per node")
class ClusterLimitsTest {

  static final String KEY = "tg-test-rpm10-0000000000000000000000000000";
  static final String WARMUP_KEY = "tg-test-warmup-000000000000000000000000000";

  @Test
  @DisplayName("two clustered edge nodes share a key limited to 10 requests/minute: of 30 concurrent requests "
      + "spread over both, exactly 10 succeed")
  void exactAcrossNodes() throws Exception {
    Path config = TestGateway.writeConfig("""
        models:
          - name: mock-model
            deployments:
              - {id: mock-1, provider: mock, mock: {tokens: 4}}
        keys:
          - {name: rpm10, secret: %s, rpm: 10}
          - {name: warmup, secret: %s, rpm: 1000}
        """.formatted(KEY, WARMUP_KEY));
    String cluster = TestGateway.uniqueClusterName();
    EmbeddedRedisServer redis = EmbeddedRedisServer.start();
    EmbeddedPg postgres = EmbeddedPg.start(TestGateway.freshDataDir(), 0);
    List<Tollgate> nodes = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(30);
    try {
      nodes.add(TestGateway.start(config, Set.of(Role.ROUTER, Role.CONNECTOR, Role.ADMIN), true, cluster, null,
          postgres.uri(), TestGateway.freshDataDir()));
      Tollgate edgeA = TestGateway.start(config, Set.of(Role.EDGE), true, cluster, redis.url());
      Tollgate edgeB = TestGateway.start(config, Set.of(Role.EDGE), true, cluster, redis.url());
      nodes.add(edgeA);
      nodes.add(edgeB);
      TestGateway.awaitReady(edgeA);
      TestGateway.awaitReady(edgeB);
      OpenAIClient a = TestGateway.openAi(edgeA.httpPort(), KEY);
      OpenAIClient b = TestGateway.openAi(edgeB.httpPort(), KEY);
      ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("mock-model")
          .addUserMessage("count me").build();
      // Warm both edges' Redis pools and JIT with another key, so that the burst below measures the
      // limit, not a cold node's first connections.
      List<Future<?>> warmups = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        OpenAIClient warm = TestGateway.openAi((i % 2 == 0 ? edgeA : edgeB).httpPort(), WARMUP_KEY);
        warmups.add(pool.submit(() -> warm.chat().completions().create(params)));
      }
      for (Future<?> w : warmups) {
        w.get(30, TimeUnit.SECONDS);
      }

      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        OpenAIClient client = i % 2 == 0 ? a : b;
        results.add(pool.submit(() -> {
          go.await();
          try {
            client.chat().completions().create(params);
            return 200;
          } catch (RateLimitException e) {
            assertThat(e.code()).hasValue("rate_limit_exceeded");
            assertThat(e.headers().values("retry-after")).isNotEmpty();
            return 429;
          }
        }));
      }
      go.countDown();
      int ok = 0;
      int limited = 0;
      for (Future<Integer> r : results) {
        if (r.get(30, TimeUnit.SECONDS) == 200) {
          ok++;
        } else {
          limited++;
        }
      }
      assertThat(ok).isEqualTo(10);
      assertThat(limited).isEqualTo(20);
    } finally {
      pool.shutdownNow();
      for (Tollgate n : nodes) {
        n.close().await();
      }
      redis.stop();
      postgres.close();
    }
  }
}
