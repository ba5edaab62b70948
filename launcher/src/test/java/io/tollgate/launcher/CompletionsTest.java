package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionChoice;
import com.openai.models.completions.CompletionCreateParams;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("POST /v1/completions through the OpenAI Java SDK to an OpenAI-compatible upstream and the mock")
class CompletionsTest {

  static final String RPM_KEY = "tg-test-cmpl-rpm-1-000000000000000000000";

  static Vertx upstreams;
  static FakeCompletionsUpstream fake;
  static Tollgate gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    upstreams = Vertx.vertx();
    fake = FakeCompletionsUpstream.start(upstreams);
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: cmp-openai
            deployments:
              - {id: cmp-oai, provider: openai, base_url: "%1$s/v1", api_key: "${UPSTREAM_KEY}",
                 upstream_model: gpt-3.5-turbo-instruct, input_price_per_mtok: 1.5, output_price_per_mtok: 2}
          - name: cmp-failover
            policy: priority
            deployments:
              - {id: cmp-broken, provider: openai, base_url: "%1$s/broken/v1", priority: 0}
              - {id: cmp-good, provider: openai, base_url: "%1$s/v1", priority: 1}
          - name: cmp-mock
            deployments:
              - {id: cmp-mock-1, provider: mock, mock: {tokens: 5}}
          - name: claude-only
            deployments:
              - {id: claude-1, provider: anthropic, base_url: "%1$s"}
        keys:
          - {name: test, secret: %2$s}
          - {name: rpm, secret: %3$s, rpm: 1}
        """.formatted(fake.baseUrl(), TestGateway.KEY, RPM_KEY)));
    client = TestGateway.openAi(gateway.httpPort(), TestGateway.KEY);
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
    upstreams.close().await();
  }

  @BeforeEach
  void clear() {
    fake.received.clear();
  }

  @Test
  @DisplayName("text: the parameters go upstream as sent (streamed, usage asked for), the answer is one text_completion with exact usage, billed")
  void text() throws Exception {
    HttpResponseFor<Completion> raw = client.completions().withRawResponse().create(CompletionCreateParams.builder()
        .model("cmp-openai").prompt("Say hi").maxTokens(16).temperature(0.5).stop("\n").seed(7).suffix("!")
        .user("u-1").build());
    Completion c = raw.parse();

    assertThat(c.choices()).hasSize(1);
    assertThat(c.choices().get(0).text()).isEqualTo(FakeCompletionsUpstream.TEXT);
    assertThat(c.choices().get(0).finishReason()).isEqualTo(CompletionChoice.FinishReason.STOP);
    assertThat(c.model()).isEqualTo("cmp-openai");
    assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(FakeCompletionsUpstream.PROMPT_TOKENS);
    assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(3);

    FakeCompletionsUpstream.Received sent = fake.received.get(0);
    assertThat(sent.path()).isEqualTo("/v1/completions");
    assertThat(sent.headers().get("authorization")).isEqualTo("Bearer " + FakeOpenAiUpstream.UPSTREAM_KEY);
    assertThat(sent.body()).isEqualTo(new JsonObject().put("seed", 7).put("model", "gpt-3.5-turbo-instruct")
        .put("prompt", "Say hi").put("max_tokens", 16).put("temperature", 0.5).put("stop", new JsonArray().add("\n"))
        .put("suffix", "!").put("user", "u-1").put("stream", true)
        .put("stream_options", new JsonObject().put("include_usage", true)));

    String id = raw.headers().values("x-request-id").get(0);
    JsonObject record = LedgerChecks.awaitRecords(gateway, List.of(id), 20).get(id);
    assertThat(record.getString("status")).isEqualTo("ok");
    assertThat(record.getLong("prompt_tokens")).isEqualTo(5);
    assertThat(record.getLong("completion_tokens")).isEqualTo(3);
    assertThat(record.getBoolean("estimated")).isFalse();
    // 5 x $1.5 + 3 x $2 per million
    assertThat(new BigDecimal(record.getString("cost_usd"))).isEqualByComparingTo("0.0000135");
  }

  @Test
  @DisplayName("stream: text_completion chunks carry the text, the last one the usage asked for by stream_options")
  void stream() {
    List<Completion> chunks = new ArrayList<>();
    try (StreamResponse<Completion> s = client.completions().createStreaming(CompletionCreateParams.builder()
        .model("cmp-openai").prompt("Say hi").maxTokens(16)
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      s.stream().forEach(chunks::add);
    }
    StringBuilder text = new StringBuilder();
    chunks.stream().flatMap(c -> c.choices().stream()).forEach(ch -> text.append(ch.text()));
    assertThat(text.toString()).isEqualTo(FakeCompletionsUpstream.TEXT);
    Completion last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage().orElseThrow().totalTokens()).isEqualTo(8);
    assertThat(chunks.get(0).id()).startsWith("cmpl-");
  }

  @Test
  @DisplayName("several prompts: one choice each, in prompt order")
  void prompts() {
    Completion c = client.completions().create(CompletionCreateParams.builder().model("cmp-openai")
        .promptOfArrayOfStrings(List.of("a", "b")).build());
    assertThat(c.choices()).extracting(CompletionChoice::index).containsExactly(0L, 1L);
    assertThat(c.choices()).extracting(CompletionChoice::text)
        .containsExactly(FakeCompletionsUpstream.TEXT, FakeCompletionsUpstream.TEXT);
    assertThat(fake.received.get(0).body().getJsonArray("prompt")).isEqualTo(new JsonArray().add("a").add("b"));
  }

  @Test
  @DisplayName("an upstream 400 reaches the client as a 400 naming the parameter it refused, and is not retried")
  void upstreamBadRequest() {
    assertThatThrownBy(() -> client.completions().create(CompletionCreateParams.builder().model("cmp-openai")
        .prompt("Say hi").maxTokens(5000).build()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> {
          assertThat(e.code()).contains("upstream_bad_request");
          assertThat(e.param()).contains("max_tokens");
          assertThat(e.getMessage()).contains("max_tokens");
        });
    assertThat(fake.received).hasSize(1);
  }

  @Test
  @DisplayName("a failing first deployment fails over to the next, as for chat")
  void failover() {
    HttpResponseFor<Completion> raw = client.completions().withRawResponse().create(CompletionCreateParams.builder()
        .model("cmp-failover").prompt("Say hi").build());
    assertThat(raw.parse().choices().get(0).text()).isEqualTo(FakeCompletionsUpstream.TEXT);
    assertThat(raw.headers().values("x-tollgate-route")).containsExactly("cmp-good");
    assertThat(fake.received).extracting(FakeCompletionsUpstream.Received::path)
        .containsExactly("/broken/v1/completions", "/v1/completions");
  }

  @Test
  @DisplayName("the mock serves completions, max_tokens cutting it with finish_reason length")
  void mock() {
    Completion c = client.completions().create(CompletionCreateParams.builder().model("cmp-mock").prompt("x")
        .maxTokens(3).build());
    assertThat(c.choices().get(0).text()).isEqualTo("Tollgate mock reply");
    assertThat(c.choices().get(0).finishReason()).isEqualTo(CompletionChoice.FinishReason.LENGTH);
    assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(3);
  }

  @Test
  @DisplayName("completions to a model whose deployments cannot serve them: 400 capability_not_supported; logprobs: 400")
  void refusals() {
    assertThatThrownBy(() -> client.completions().create(CompletionCreateParams.builder().model("claude-only")
        .prompt("x").build()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> {
          assertThat(e.code()).contains("capability_not_supported");
          assertThat(e.getMessage()).contains("'completions'");
        });
    assertThatThrownBy(() -> client.completions().create(CompletionCreateParams.builder().model("cmp-openai")
        .prompt("x").logprobs(2).build()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).contains("logprobs"));
    assertThat(fake.received).isEmpty();
  }

  @Test
  @DisplayName("limits apply: rpm counts completions")
  void limits() {
    OpenAIClient rpm = TestGateway.openAi(gateway.httpPort(), RPM_KEY);
    rpm.completions().create(CompletionCreateParams.builder().model("cmp-mock").prompt("one").build());
    assertThatThrownBy(() -> rpm.completions().create(CompletionCreateParams.builder().model("cmp-mock")
        .prompt("two").build())).isInstanceOf(RateLimitException.class);
  }
}
