package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Deadlines that fit the failover chain (hung upstreams, real gateway, OpenAI SDK client)")
class FailoverDeadlinesTest {

  private static final int HUNG = 7;

  static Vertx upstreams;
  static FakeOpenAiUpstream hung;
  static Tollgate gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    upstreams = Vertx.vertx();
    hung = FakeOpenAiUpstream.start(upstreams, FakeOpenAiUpstream.Mode.HANG);
    String chain = chain("hung-");
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: long-chain
            deployments:
        %s      - {id: last-resort, provider: mock, priority: 99, mock: {tokens: 4}}
          - name: tight-budget
            routing: {budget_ms: 1500}
            deployments:
        %s      - {id: never-reached, provider: mock, priority: 99}
        """.formatted(chain, chain("tight-"))));
    client = TestGateway.openAi(gateway.httpPort(), TestGateway.KEY);
    // Load the SDK's classes before anything is timed (seconds on a busy 2-core machine).
    client.models().list();
  }

  private static String chain(String prefix) {
    StringBuilder chain = new StringBuilder();
    for (int i = 0; i < HUNG; i++) {
      chain.append("      - {id: ").append(prefix).append(i).append(", provider: openai, base_url: ")
          .append(hung.baseUrl()).append(", priority: ").append(i)
          .append(", timeouts: {first_byte_ms: 1000, idle_ms: 100}}\n");
    }
    return chain.toString();
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
    upstreams.close().await();
  }

  private static ChatCompletionCreateParams params(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build();
  }

  @Test
  @DisplayName("seven hung deployments and a fallback: the edge waits for the whole chain (about 7 s, more than the "
      + "longest single timeout plus margin) and the client gets the fallback's answer")
  void edgeWaitsForTheChain() throws Exception {
    int abandonedBefore = hung.abandoned.get();
    HttpResponseFor<ChatCompletion> response = client.chat().completions().withRawResponse().create(params("long-chain"));
    ChatCompletion completion = response.parse();
    assertThat(completion.choices().get(0).message().content()).hasValue("Tollgate mock reply 0");
    assertThat(response.headers().values("x-tollgate-route")).containsExactly("last-resort");
    assertThat(response.headers().values("x-tollgate-attempts")).containsExactly(Integer.toString(HUNG + 1));
    // Every superseded attempt's upstream connection was closed, not left to run.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (hung.abandoned.get() - abandonedBefore < HUNG && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(hung.abandoned.get() - abandonedBefore).isEqualTo(HUNG);
  }

  @Test
  @DisplayName("a model's routing.budget_ms caps the chain: the client gets 504 upstream_timeout when it is spent")
  void budgetCapsTheChain() {
    long started = System.nanoTime();
    assertThatThrownBy(() -> client.chat().completions().create(params("tight-budget")))
        .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(504);
          assertThat(e.code()).hasValue("upstream_timeout");
          assertThat(e.getMessage()).contains("route budget of 1500 ms");
        });
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(tookMs).as("answered at the budget, not after seven 1 s timeouts").isBetween(1_400L, 6_000L);
  }

}
