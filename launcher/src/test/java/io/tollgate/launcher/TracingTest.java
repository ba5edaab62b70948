package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.tollgate.launcher.OtlpReceiver.ReceivedSpan;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

@DisplayName("Tracing across two clustered nodes, exported over OTLP to an in-process receiver")
class TracingTest {

  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String CLIENT_SPAN = "00f067aa0ba902b7";
  static final String TRACEPARENT = "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01";

  static Vertx vertx;
  static OtlpReceiver receiver;
  static FakeOpenAiUpstream failing;
  static FakeOpenAiUpstream healthy;
  static EmbeddedRedisServer redis;
  static Tollgate edge;
  static Tollgate backend;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    receiver = OtlpReceiver.start(vertx);
    failing = FakeOpenAiUpstream.start(vertx, FakeOpenAiUpstream.Mode.FAIL_500);
    healthy = FakeOpenAiUpstream.start(vertx, FakeOpenAiUpstream.Mode.STREAM);
    redis = EmbeddedRedisServer.start();
    Path config = TestGateway.writeConfig("""
        models:
          - name: traced
            policy: priority
            deployments:
              - {id: first, provider: openai, base_url: %s, api_key: "${UPSTREAM_KEY}", priority: 0}
              - {id: second, provider: openai, base_url: %s, api_key: "${UPSTREAM_KEY}", priority: 1}
        """.formatted(failing.baseUrl(), healthy.baseUrl()));
    Map<String, String> env = new HashMap<>(TestGateway.ENV);
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
    // Export each batch at once rather than every 5 s.
    env.put("OTEL_BSP_SCHEDULE_DELAY", "50");
    String cluster = TestGateway.uniqueClusterName();
    edge = TestGateway.start(config, Set.of(Role.EDGE), true, cluster, redis.url(), null,
        TestGateway.freshDataDir(), env);
    backend = TestGateway.start(config, Set.of(Role.ROUTER, Role.CONNECTOR), true, cluster, null, null,
        TestGateway.freshDataDir(), env);
    assertThat(TestGateway.awaitReady(edge)).isEqualTo(200);
    assertThat(TestGateway.awaitReady(backend)).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    for (Tollgate node : new Tollgate[] {edge, backend}) {
      if (node != null) {
        node.close().await();
      }
    }
    if (redis != null) {
      redis.stop();
    }
    vertx.close().await();
  }

  @Test
  @DisplayName("client trace id -> edge server span -> admission and routing -> one span per attempt on the router "
      + "node -> the upstream call and the stream; the upstream gets the trace, the access line its id, "
      + "/metrics the hops")
  void traceSpansBothNodes() throws Exception {
    Logger access = (Logger) LoggerFactory.getLogger("tollgate.access");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    access.addAppender(lines);
    try {
      OpenAIClient client = TestGateway.openAi(edge.httpPort(), TestGateway.KEY);
      StringBuilder text = new StringBuilder();
      try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
          ChatCompletionCreateParams.builder().model("traced").addUserMessage("follow me")
              .putAdditionalHeader("traceparent", TRACEPARENT).putAdditionalHeader("tracestate", "vendor=opaque")
              .build())) {
        stream.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
      }
      assertThat(text).isNotEmpty();

      List<ReceivedSpan> spans = receiver.await(s -> count(s, "stream") == 1 && count(s, "upstream") == 2
          && count(s, "attempt") == 2 && count(s, "POST /v1/chat/completions") == 1 && count(s, "admission") == 1
          && count(s, "routing") == 1, 15_000);
      assertThat(spans).as("every span is in the client's trace").allSatisfy(s -> assertThat(s.traceId())
          .isEqualTo(TRACE_ID));

      ReceivedSpan server = one(spans, "POST /v1/chat/completions");
      assertThat(server.parentSpanId()).isEqualTo(CLIENT_SPAN);
      assertThat(server.kind()).isEqualTo("SPAN_KIND_SERVER");
      assertThat(server.resource()).containsEntry("tollgate.roles", "edge").containsEntry("service.name", "tollgate");
      assertThat(server.attributes()).containsEntry("http.response.status_code", "200");
      assertThat(one(spans, "admission").parentSpanId()).isEqualTo(server.spanId());
      ReceivedSpan routing = one(spans, "routing");
      assertThat(routing.parentSpanId()).isEqualTo(server.spanId());

      List<ReceivedSpan> attempts = spans.stream().filter(s -> s.name().equals("attempt"))
          .sorted(java.util.Comparator.comparing(s -> s.attributes().get("tollgate.attempt"))).toList();
      assertThat(attempts).allSatisfy(a -> {
        assertThat(a.parentSpanId()).isEqualTo(routing.spanId());
        assertThat(a.resource()).containsEntry("tollgate.roles", "connector,router");
      });
      assertThat(attempts.get(0).attributes()).containsEntry("tollgate.deployment", "first");
      assertThat(attempts.get(0).error()).as("the first deployment answered 500").isTrue();
      ReceivedSpan started = attempts.get(1);
      assertThat(started.attributes()).containsEntry("tollgate.deployment", "second");
      assertThat(started.error()).isFalse();

      for (ReceivedSpan a : attempts) {
        assertThat(spans).filteredOn(s -> s.name().equals("upstream") && s.parentSpanId().equals(a.spanId()))
            .as("the connector's call of attempt " + a.attributes().get("tollgate.attempt")).hasSize(1);
      }
      ReceivedSpan upstream = spans.stream().filter(s -> s.name().equals("upstream")
          && s.parentSpanId().equals(started.spanId())).findFirst().orElseThrow();
      ReceivedSpan stream = one(spans, "stream");
      assertThat(stream.parentSpanId()).as("the stream hangs under the attempt that started").isEqualTo(started.spanId());
      assertThat(stream.resource()).containsEntry("tollgate.roles", "edge");
      assertThat(stream.attributes()).containsEntry("tollgate.deployment", "second");

      assertThat(healthy.traceparents).as("the upstream continues the client's trace from the connector's span")
          .containsExactly("00-" + TRACE_ID + "-" + upstream.spanId() + "-01");
      assertThat(healthy.tracestates).containsExactly("vendor=opaque");
      assertThat(failing.traceparents).singleElement().asString().startsWith("00-" + TRACE_ID + "-");

      ILoggingEvent line = lines.list.stream().filter(e -> e.getKeyValuePairs() != null).findFirst().orElseThrow();
      assertThat(keyValues(line)).containsEntry("trace_id", TRACE_ID);

      assertThat(hopCount(TestGateway.metrics(edge), "chunk")).as("chunks timed on the edge").isPositive();
      String backendMetrics = TestGateway.metrics(backend);
      assertThat(hopCount(backendMetrics, "route")).as("the route request timed on the router").isEqualTo(1);
      assertThat(hopCount(backendMetrics, "call")).as("both calls timed on the connector").isEqualTo(2);
    } finally {
      access.detachAppender(lines);
    }
  }

  static Map<String, String> keyValues(ILoggingEvent e) {
    Map<String, String> out = new HashMap<>();
    e.getKeyValuePairs().forEach(kv -> out.put(kv.key, String.valueOf(kv.value)));
    return out;
  }

  /** The count of {@code tollgate_eventbus_hop_seconds{hop}} in a /metrics text, -1 if absent. */
  static long hopCount(String metrics, String hop) {
    Matcher m = Pattern.compile("tollgate_eventbus_hop_seconds_count\\{hop=\"" + hop + "\"} (\\d+)").matcher(metrics);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static long count(List<ReceivedSpan> spans, String name) {
    return spans.stream().filter(s -> s.name().equals(name)).count();
  }

  private static ReceivedSpan one(List<ReceivedSpan> spans, String name) {
    List<ReceivedSpan> named = spans.stream().filter(s -> s.name().equals(name)).toList();
    assertThat(named).as(name).hasSize(1);
    return named.get(0);
  }
}
