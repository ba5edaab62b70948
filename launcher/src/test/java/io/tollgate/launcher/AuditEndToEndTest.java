package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Audit log end to end: redacted text only for opted-in tenants, refused requests audited and not billed")
class AuditEndToEndTest {

  /** What a user might paste: an e-mail address, a card number, an account number the tenant masks itself. */
  static final String PRIVATE = "mail jane.doe@corp.example, card 4111 1111 1111 1111, account ACCT-123456";

  static Vertx clients;
  static HttpServer echo;
  static Tollgate gateway;

  @BeforeAll
  static void start() {
    clients = Vertx.vertx();
    echo = startEcho(clients);
    gateway = TestGateway.start(TestGateway.writeConfig("""
        models:
          - name: echo
            deployments:
              - {id: echo-1, provider: openai, base_url: "http://127.0.0.1:%d/v1", api_key: "${UPSTREAM_KEY}",
                 input_price_per_mtok: 1, output_price_per_mtok: 2}
        """.formatted(echo.actualPort())));
  }

  @AfterAll
  static void stop() {
    gateway.close().await();
    clients.close().await();
  }

  /**
   * A loopback OpenAI upstream that streams the last user message back as the answer (so the
   * completion holds the same private data as the prompt), with the usage chunk OpenAI sends.
   */
  static HttpServer startEcho(Vertx vertx) {
    return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      JsonArray messages = body.toJsonObject().getJsonArray("messages");
      String text = messages.getJsonObject(messages.size() - 1).getString("content");
      StringBuilder sse = new StringBuilder();
      int half = text.length() / 2;
      for (String part : new String[] {text.substring(0, half), text.substring(half)}) {
        sse.append("data: ").append(new JsonObject().put("id", "chatcmpl-echo").put("object", "chat.completion.chunk")
            .put("created", 1741570283).put("model", "echo").put("choices", new JsonArray().add(new JsonObject()
                .put("index", 0).put("delta", new JsonObject().put("content", part)).putNull("finish_reason")))
            .encode()).append("\n\n");
      }
      sse.append("data: ").append(new JsonObject().put("id", "chatcmpl-echo").put("object", "chat.completion.chunk")
          .put("created", 1741570283).put("model", "echo").put("choices", new JsonArray().add(new JsonObject()
              .put("index", 0).put("delta", new JsonObject()).put("finish_reason", "stop")))
          .put("usage", new JsonObject().put("prompt_tokens", 12).put("completion_tokens", 9)
              .put("total_tokens", 21)).encode()).append("\n\ndata: [DONE]\n\n");
      req.response().putHeader("content-type", "text/event-stream").end(sse.toString());
    })).listen(0, "127.0.0.1").await();
  }

  private static JsonObject created(TestGateway.AdminResponse r) {
    assertThat(r.status()).as(r.body().encode()).isEqualTo(201);
    return r.body();
  }

  private static String requestId(String answerId) {
    return answerId.substring("chatcmpl-".length());
  }

  private static ChatCompletionCreateParams ask(String text) {
    return ChatCompletionCreateParams.builder().model("echo").addUserMessage(text).build();
  }

  /** The first call of a new key: its tenant and key reach the edge through the config feed within a second. */
  private static ChatCompletion firstCall(OpenAIClient client, String text) throws InterruptedException {
    RuntimeException last = null;
    for (int i = 0; i < 80; i++) {
      try {
        return client.chat().completions().create(ask(text));
      } catch (RuntimeException e) {
        last = e;
        Thread.sleep(25);
      }
    }
    throw last;
  }

  /** The tenant's request records once {@code ids} are all there (audit writes follow answers by ~150 ms). */
  private static Map<String, JsonObject> awaitAudit(String tenant, List<String> ids) throws InterruptedException {
    Map<String, JsonObject> found = new HashMap<>();
    for (int i = 0; i < 200 && !found.keySet().containsAll(ids); i++) {
      Thread.sleep(50);
      JsonObject page = TestGateway.admin(gateway, "GET", "/admin/v1/audit?kind=request&limit=1000&tenant_id=" + tenant,
          null).body();
      page.getJsonArray("data").forEach(r -> found.put(((JsonObject) r).getString("id"), (JsonObject) r));
    }
    assertThat(found).containsKeys(ids.toArray(String[]::new));
    return found;
  }

  @Test
  @DisplayName("an opted-in tenant's prompt and completion are stored with e-mails, cards and its own pattern masked")
  void optedInRedacted() throws Exception {
    String tenant = created(TestGateway.admin(gateway, "POST", "/admin/v1/tenants", new JsonObject()
        .put("name", "audit-private").put("audit", new JsonObject().put("store_prompts", true)
            .put("redact", new JsonArray().add("ACCT-[0-9]{6}"))))).getString("id");
    String secret = created(TestGateway.admin(gateway, "POST", "/admin/v1/keys", new JsonObject()
        .put("tenant_id", tenant).put("name", "private-key"))).getString("key");
    OpenAIClient client = TestGateway.openAi(gateway.httpPort(), secret);

    ChatCompletion whole = firstCall(client, PRIVATE);
    assertThat(whole.choices().get(0).message().content()).hasValue(PRIVATE);
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask(PRIVATE))) {
      stream.stream().forEach(chunks::add);
    }
    List<String> ids = List.of(requestId(whole.id()), requestId(chunks.get(0).id()));

    Map<String, JsonObject> records = awaitAudit(tenant, ids);
    String masked = "mail [email], card [card], account [redacted]";
    for (String id : ids) {
      JsonObject r = records.get(id);
      assertThat(r.getString("prompt")).isEqualTo("user: " + masked);
      assertThat(r.getString("completion")).isEqualTo(masked);
      assertThat(r.getString("status")).isEqualTo("ok");
    }
    String everything = TestGateway.admin(gateway, "GET", "/admin/v1/audit?limit=1000", null).body().encode();
    assertThat(everything).doesNotContain("jane.doe@corp.example", "4111 1111", "ACCT-123456");
  }

  @Test
  @DisplayName("a tenant without opt-in stores no text; its requests refused by limits or validation are audited and cost nothing")
  void plainTenantAndRefusals() throws Exception {
    String tenant = created(TestGateway.admin(gateway, "POST", "/admin/v1/tenants", new JsonObject()
        .put("name", "audit-plain"))).getString("id");
    String secret = created(TestGateway.admin(gateway, "POST", "/admin/v1/keys", new JsonObject()
        .put("tenant_id", tenant).put("name", "one-per-minute").put("rpm", 1))).getString("key");
    OpenAIClient client = TestGateway.openAi(gateway.httpPort(), secret);

    String answered = requestId(firstCall(client, PRIVATE).id());
    String limited = refusedId(() -> client.chat().completions().create(ask("again")), RateLimitException.class);
    String invalid = refusedId(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("echo").addUserMessage("hot").temperature(7.0).build()), BadRequestException.class);

    Map<String, JsonObject> records = awaitAudit(tenant, List.of(answered, limited, invalid));
    assertThat(records.values()).allSatisfy(r -> {
      assertThat(r.getValue("prompt")).isNull();
      assertThat(r.getValue("completion")).isNull();
    });
    assertThat(records.get(limited).getString("error")).isEqualTo("rate_limit_exceeded");
    assertThat(records.get(limited).getString("status")).isEqualTo("error");
    assertThat(records.get(invalid).getString("error_side")).isEqualTo("client");
    assertThat(records.get(invalid).getValue("deployment_id")).isNull();

    // In the ledger: the answered request only; the refused ones are not billed at all.
    LedgerChecks.awaitRecords(gateway, List.of(answered), 20);
    assertThat(TestGateway.admin(gateway, "GET", "/admin/v1/requests/" + limited, null).status()).isEqualTo(404);
    assertThat(TestGateway.admin(gateway, "GET", "/admin/v1/requests/" + invalid, null).status()).isEqualTo(404);
    JsonObject totals = TestGateway.admin(gateway, "GET", "/admin/v1/usage?from=2000-01-01&to=2100-01-01&tenant_id="
        + tenant, null).body().getJsonObject("totals");
    assertThat(totals.getLong("requests")).isEqualTo(1);
    // 12 x 1 + 9 x 2 per million
    assertThat(new java.math.BigDecimal(totals.getString("cost_usd"))).isEqualByComparingTo("0.00003");
  }

  /** The request id the gateway answered a refusal of type {@code type} with. */
  private static String refusedId(Runnable call, Class<? extends OpenAIServiceException> type) {
    String[] id = new String[1];
    assertThatThrownBy(call::run).isInstanceOfSatisfying(type, e -> id[0] = e.headers().values("x-request-id").get(0));
    return id[0];
  }
}
