package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.tollgate.admin.store.EmbeddedPg;
import io.tollgate.api.Addresses;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.eventbus.DeliveryContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The local path: a node with the edge, router and connector roles keeps a request on one event loop")
class LocalPathTest {

  /** A broken primary, so that every request also fails over once. */
  private static final String CONFIG = """
      models:
        - name: local-model
          deployments:
            - {id: broken, provider: mock, priority: 0, mock: {tokens: 2, failure_rate: 1.0}}
            - {id: good, provider: mock, priority: 1, mock: {tokens: 6}}
      """;

  /** Messages this node sent over its event bus, by kind of address. */
  private static final class Sent {
    private final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();

    Sent(Tollgate node) {
      node.vertx().eventBus().addOutboundInterceptor((DeliveryContext<Object> dc) -> {
        byKind.computeIfAbsent(kind(dc.message().address()), k -> new LongAdder()).increment();
        dc.next();
      });
    }

    private static String kind(String address) {
      if (address.equals(Addresses.ROUTER_ROUTE)) {
        return "route";
      }
      if (address.equals(Addresses.connectorCall("mock"))) {
        return "call";
      }
      if (address.startsWith("tollgate.edge.") && address.endsWith(".stream")) {
        return "chunk";
      }
      return address.equals(Addresses.OUTCOMES) ? "outcome" : "other";
    }

    Map<String, Long> counts() {
      Map<String, Long> out = new HashMap<>();
      byKind.forEach((k, v) -> out.put(k, v.sum()));
      return out;
    }
  }

  private static void chatAndStream(OpenAIClient client) {
    ChatCompletion answer = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("local-model").addUserMessage("on one loop").build());
    assertThat(answer.choices().get(0).message().content().orElse("").trim().split(" ")).hasSize(6);
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("local-model").addUserMessage("streamed on one loop").build())) {
      stream.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
    }
    assertThat(text.toString().trim().split(" ")).hasSize(6);
  }

  @Test
  @DisplayName("a chat and a stream, each failing over once, send no route, call or chunk message; outcomes are still published")
  void noMessagesOnTheLocalPath() {
    Tollgate node = TestGateway.start(TestGateway.writeConfig(CONFIG));
    try {
      Sent sent = new Sent(node);
      chatAndStream(TestGateway.openAi(node.httpPort(), TestGateway.KEY));
      Map<String, Long> counts = sent.counts();
      assertThat(counts).doesNotContainKeys("route", "call", "chunk");
      // Both attempts of both requests: the routing statistics of every router still learn.
      assertThat(counts.get("outcome")).isEqualTo(4L);
    } finally {
      node.close().await();
    }
  }

  @Test
  @DisplayName("TOLLGATE_LOCAL_PATH=off sends the same requests over the event bus, as separate verticles")
  void offUsesTheEventBus() {
    Map<String, String> env = new HashMap<>(TestGateway.ENV);
    env.put(LocalRequestPath.ENV, "off");
    Tollgate node = TestGateway.start(TestGateway.writeConfig(CONFIG), Set.of(Role.values()), false, "unused", null,
        null, TestGateway.freshDataDir(), env);
    try {
      Sent sent = new Sent(node);
      chatAndStream(TestGateway.openAi(node.httpPort(), TestGateway.KEY));
      Map<String, Long> counts = sent.counts();
      assertThat(counts.get("route")).isEqualTo(2L);
      assertThat(counts.get("call")).isEqualTo(4L);
      assertThat(counts.get("chunk")).isGreaterThanOrEqualTo(2L);
    } finally {
      node.close().await();
    }
  }

  @Test
  @DisplayName("an edge-only node is served by the routers and connectors a local-path node started inside its edges, "
      + "while that node's own requests stay local")
  void otherNodesUseTheEmbeddedRouters() throws Exception {
    Path config = TestGateway.writeConfig(CONFIG);
    String cluster = TestGateway.uniqueClusterName();
    EmbeddedRedisServer redis = EmbeddedRedisServer.start();
    EmbeddedPg postgres = EmbeddedPg.start(TestGateway.freshDataDir(), 0);
    Tollgate full = null;
    Tollgate edge = null;
    try {
      full = TestGateway.start(config, Set.of(Role.EDGE, Role.ROUTER, Role.CONNECTOR, Role.ADMIN), true, cluster,
          redis.url(), postgres.uri(), TestGateway.freshDataDir());
      edge = TestGateway.start(config, Set.of(Role.EDGE), true, cluster, redis.url());
      assertThat(TestGateway.awaitReady(full)).isEqualTo(200);
      assertThat(TestGateway.awaitReady(edge)).isEqualTo(200);
      Sent fromFull = new Sent(full);
      Sent fromEdge = new Sent(edge);

      chatAndStream(TestGateway.openAi(edge.httpPort(), TestGateway.KEY));
      assertThat(fromEdge.counts().get("route")).isEqualTo(2L);
      // The full node's embedded connectors stream to the other node's edge over the bus.
      assertThat(fromFull.counts().get("chunk")).isGreaterThanOrEqualTo(2L);

      Map<String, Long> before = fromFull.counts();
      chatAndStream(TestGateway.openAi(full.httpPort(), TestGateway.KEY));
      Map<String, Long> after = fromFull.counts();
      assertThat(after.get("route")).isEqualTo(before.get("route"));
      assertThat(after.get("call")).isEqualTo(before.get("call"));
      assertThat(after.get("chunk")).isEqualTo(before.get("chunk"));
    } finally {
      if (edge != null) {
        edge.close().await();
      }
      if (full != null) {
        full.close().await();
      }
      redis.stop();
      postgres.close();
    }
  }
}
