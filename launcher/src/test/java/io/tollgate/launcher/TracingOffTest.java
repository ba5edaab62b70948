package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

@DisplayName("Tracing off (no OTEL_* asks for it): the client's trace context passes through to the upstream as it came")
class TracingOffTest {

  static Vertx vertx;
  static FakeOpenAiUpstream upstream;
  static Tollgate gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = FakeOpenAiUpstream.start(vertx, FakeOpenAiUpstream.Mode.STREAM);
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: plain
            deployments:
              - {id: plain-1, provider: openai, base_url: %s, api_key: "${UPSTREAM_KEY}"}
        """.formatted(upstream.baseUrl())), Set.of(Role.EDGE, Role.ROUTER, Role.CONNECTOR), false, "unused", null);
    client = TestGateway.openAi(gateway.httpPort(), TestGateway.KEY);
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
    vertx.close().await();
  }

  /**
   * The access lines of {@code requests}, once {@code expected} of them were written: a request's
   * line is written when its exchange settles, which may be just after the client has its answer.
   */
  private static List<ILoggingEvent> accessLinesOf(int expected, Runnable requests) throws InterruptedException {
    Logger access = (Logger) LoggerFactory.getLogger("tollgate.access");
    java.util.concurrent.CountDownLatch written = new java.util.concurrent.CountDownLatch(expected);
    List<ILoggingEvent> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    ch.qos.logback.core.AppenderBase<ILoggingEvent> appender = new ch.qos.logback.core.AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        lines.add(event);
        written.countDown();
      }
    };
    appender.start();
    access.addAppender(appender);
    try {
      requests.run();
      assertThat(written.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("access lines written").isTrue();
    } finally {
      access.detachAppender(appender);
    }
    return List.copyOf(lines);
  }

  @Test
  @DisplayName("traceparent and tracestate reach the upstream unchanged and the access line carries the client's "
      + "trace id; without them nothing is invented")
  void passesThrough() throws InterruptedException {
    String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    List<ILoggingEvent> lines = accessLinesOf(2, () -> {
      client.chat().completions().create(ChatCompletionCreateParams.builder().model("plain").addUserMessage("hi")
          .putAdditionalHeader("traceparent", traceparent).putAdditionalHeader("tracestate", "congo=t61rcWkgMzE")
          .build());
      client.chat().completions().create(ChatCompletionCreateParams.builder().model("plain").addUserMessage("hi")
          .build());
    });
    assertThat(upstream.traceparents).containsExactly(traceparent, "null");
    assertThat(upstream.tracestates).containsExactly("congo=t61rcWkgMzE", "null");
    assertThat(lines).hasSize(2);
    Map<String, String> first = TracingTest.keyValues(lines.get(0));
    Map<String, String> second = TracingTest.keyValues(lines.get(1));
    assertThat(first).containsEntry("trace_id", "0af7651916cd43dd8448eb211c80319c");
    assertThat(second).containsEntry("trace_id", "null");
    assertThat(TestGateway.metrics(gateway)).as("local hops are timed too")
        .contains("tollgate_eventbus_hop_seconds_count{hop=\"route\"}")
        .contains("tollgate_eventbus_hop_seconds_count{hop=\"call\"}")
        .contains("tollgate_eventbus_hop_seconds_count{hop=\"chunk\"}");
  }
}
