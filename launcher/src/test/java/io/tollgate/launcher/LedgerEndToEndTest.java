package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Usage ledger end to end: every answered request billed once, with its tokens and exact cost")
class LedgerEndToEndTest {

  static Vertx clients;
  static FakeOpenAiUpstream upstream;
  static FakeOpenAiUpstream slow;
  static Tollgate gateway;

  @BeforeAll
  static void start() {
    clients = Vertx.vertx();
    upstream = FakeOpenAiUpstream.start(clients, FakeOpenAiUpstream.Mode.STREAM);
    slow = FakeOpenAiUpstream.start(clients, FakeOpenAiUpstream.Mode.SLOW_STREAM);
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: billed
            deployments:
              - {id: billed-1, provider: openai, base_url: %s, api_key: "${UPSTREAM_KEY}",
                 input_price_per_mtok: 2.5, output_price_per_mtok: 10}
          - name: billed-slow
            deployments:
              - {id: slow-1, provider: openai, base_url: %s, api_key: "${UPSTREAM_KEY}",
                 input_price_per_mtok: 0.15, output_price_per_mtok: 0.6}
        """.formatted(upstream.baseUrl(), slow.baseUrl())));
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
    clients.close().await();
  }

  @Test
  @DisplayName("streamed, non-streamed and cancelled calls each appear once in the ledger and the report equals their sum")
  void everyRequestOnce() throws Exception {
    OpenAIClient client = TestGateway.openAi(gateway.httpPort(), TestGateway.KEY);
    List<String> answered = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder().model("billed")
          .addUserMessage("once " + i).build());
      answered.add(requestId(c.id()));
      List<ChatCompletionChunk> chunks = new ArrayList<>();
      try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
          ChatCompletionCreateParams.builder().model("billed").addUserMessage("stream " + i)
              .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
        stream.stream().forEach(chunks::add);
      }
      answered.add(requestId(chunks.get(0).id()));
    }
    String cancelled = streamAndHangUp("billed-slow");

    Map<String, JsonObject> records = LedgerChecks.awaitRecords(gateway, answered, 20);
    for (JsonObject r : records.values()) {
      assertThat(r.getString("status")).isEqualTo("ok");
      assertThat(r.getString("deployment_id")).isEqualTo("billed-1");
      assertThat(r.getString("provider")).isEqualTo("openai");
      assertThat(r.getLong("prompt_tokens")).isEqualTo(19);
      assertThat(r.getLong("completion_tokens")).isEqualTo(10);
      assertThat(r.getString("key_id")).isNotBlank();
      // 19 x 2.5 + 10 x 10 per million
      assertThat(new BigDecimal(r.getString("cost_usd"))).isEqualByComparingTo("0.0001475");
      assertThat(r.getLong("ttft_ms")).isBetween(0L, r.getLong("latency_ms"));
    }
    LedgerChecks.assertTotalsEqual(LedgerChecks.totals(gateway, "billed"), records.values());

    JsonObject stopped = LedgerChecks.awaitRecords(gateway, List.of(cancelled), 20).get(cancelled);
    assertThat(stopped.getString("status")).isEqualTo("cancelled");
    assertThat(stopped.getString("cancel_reason")).isEqualTo("client_disconnect");
    assertThat(stopped.getLong("completion_tokens")).isBetween(1L, 399L);
    assertThat(new BigDecimal(stopped.getString("cost_usd")))
        .isEqualByComparingTo(LedgerChecks.expectedCost(stopped, "0.15", "0.6"));
    LedgerChecks.assertTotalsEqual(LedgerChecks.totals(gateway, "billed-slow"), List.of(stopped));
  }

  private static String requestId(String answerId) {
    assertThat(answerId).startsWith("chatcmpl-");
    return answerId.substring("chatcmpl-".length());
  }

  /** Streams, reads the first chunk, hangs up; returns the request id the gateway answered with. */
  private static String streamAndHangUp(String model) throws Exception {
    HttpClientAgent http = clients.createHttpClient();
    String body = "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
    CompletableFuture<String> id = new CompletableFuture<>();
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(gateway.httpPort())
            .setURI("/v1/chat/completions").putHeader("authorization", "Bearer " + TestGateway.KEY)
            .putHeader("content-type", "application/json"))
        .compose(req -> req.send(body))
        .onSuccess(resp -> resp.handler(chunk -> {
          if (!id.isDone() && chunk.toString().contains("data: {")) {
            resp.request().connection().close();
            id.complete(resp.getHeader("x-request-id"));
          }
        }))
        .onFailure(id::completeExceptionally);
    String requestId = id.get(10, TimeUnit.SECONDS);
    http.close();
    return requestId;
  }
}
