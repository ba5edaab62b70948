package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.tollgate.admin.store.EmbeddedPg;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Edge and router/connector on different clustered Vert.x nodes (Hazelcast on loopback)")
class ClusteredStreamingTest {

  @Test
  @DisplayName("an edge-only node is not ready until a router and an admin node join, then streams a chat "
      + "served by the other node")
  void streamsAcrossNodes() throws Exception {
    Path config = TestGateway.writeConfig("""
        models:
          - name: mock-model
            deployments:
              - {id: mock-1, provider: mock, mock: {tokens: 24, chunk_delay_ms: 2}}
        """);
    String cluster = TestGateway.uniqueClusterName();
    EmbeddedRedisServer redis = EmbeddedRedisServer.start();
    EmbeddedPg postgres = EmbeddedPg.start(TestGateway.freshDataDir(), 0);
    Tollgate edge = TestGateway.start(config, Set.of(Role.EDGE), true, cluster, redis.url());
    Tollgate backend = null;
    try {
      assertThat(TestGateway.ready(edge)).isEqualTo(503);
      // The backend also runs the admin role: it imports the config into Postgres and feeds the edge.
      backend = TestGateway.start(config, Set.of(Role.ROUTER, Role.CONNECTOR, Role.ADMIN), true, cluster, null,
          postgres.uri(), TestGateway.freshDataDir());
      assertThat(TestGateway.awaitReady(edge)).isEqualTo(200);
      assertThat(TestGateway.awaitReady(backend)).isEqualTo(200);

      OpenAIClient client = TestGateway.openAi(edge.httpPort(), TestGateway.KEY);
      List<ChatCompletionChunk> chunks = new ArrayList<>();
      try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
          ChatCompletionCreateParams.builder().model("mock-model").addUserMessage("across the cluster")
              .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
        stream.stream().forEach(chunks::add);
      }
      StringBuilder text = new StringBuilder();
      chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
      assertThat(text.toString().trim().split(" ")).hasSize(24);
      ChatCompletionChunk last = chunks.get(chunks.size() - 1);
      assertThat(last.usage()).isPresent();
      assertThat(last.usage().get().completionTokens()).isEqualTo(24);
    } finally {
      if (backend != null) {
        backend.close().await();
      }
      edge.close().await();
      redis.stop();
      postgres.close();
    }
  }
}
