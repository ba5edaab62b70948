package io.tollgate.connector.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.CacheControl;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.chat.Dialect;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.ReasoningOptions;
import io.tollgate.api.chat.ResponseFormat;
import io.tollgate.api.chat.Role;
import io.tollgate.api.chat.Tool;
import io.tollgate.api.chat.ToolChoice;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.connector.TestCalls;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The canonical request as an Anthropic Messages request")
class AnthropicRequestMapperTest {

  static DeploymentConfig deployment(Integer defaultMaxTokens) {
    return new DeploymentConfig("dep-anthropic", "anthropic", "http://127.0.0.1:1", null, "claude-test", null, null,
        null, null, null, null, null, null, null, defaultMaxTokens, null);
  }

  static JsonObject map(ChatRequest chat) {
    return map(chat, null);
  }

  static JsonObject map(ChatRequest chat, Integer defaultMaxTokens) {
    return AnthropicRequestMapper.toJson(TestCalls.call(deployment(defaultMaxTokens), chat, "unused"));
  }

  static ChatRequest.Builder chat(ChatMessage... messages) {
    return ChatRequest.builder("claude", List.of(messages));
  }

  static ChatMessage msg(Role role, ContentPart... parts) {
    return new ChatMessage(role, List.of(parts), null);
  }

  static GatewayException refused(ChatRequest chat) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> map(chat));
    assertThat(t).isInstanceOf(GatewayException.class);
    GatewayException e = (GatewayException) t;
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    return e;
  }

  @Test
  @DisplayName("system and developer messages go to the top-level system, the rest streams with a default max_tokens")
  void systemAndDefaults() {
    JsonObject body = map(chat(ChatMessage.of(Role.SYSTEM, "Be terse."), ChatMessage.of(Role.DEVELOPER, "No emoji."),
        ChatMessage.of(Role.USER, "Hi")).temperature(0.2).topP(0.9).topK(40).stop(List.of("END"))
        .user("user-7").build());

    assertThat(body).isEqualTo(new JsonObject("""
        {"model":"claude-test","system":"Be terse.\\n\\nNo emoji.","messages":[{"role":"user","content":"Hi"}],
         "max_tokens":4096,"stop_sequences":["END"],"temperature":0.2,"top_p":0.9,"top_k":40,
         "metadata":{"user_id":"user-7"},"stream":true}"""));
  }

  @Test
  @DisplayName("max_tokens is the client's limit, else the deployment's default_max_tokens")
  void maxTokens() {
    assertThat(map(chat(ChatMessage.of(Role.USER, "Hi")).maxCompletionTokens(77).build(), 1000)
        .getInteger("max_tokens")).isEqualTo(77);
    assertThat(map(chat(ChatMessage.of(Role.USER, "Hi")).build(), 1000).getInteger("max_tokens")).isEqualTo(1000);
  }

  @Test
  @DisplayName("a tool round trip: tool_use with an input object, tool results and the next user text merged into one user turn")
  void toolRoundTrip() {
    JsonObject body = map(chat(
        ChatMessage.of(Role.USER, "Weather in Paris and Rome?"),
        msg(Role.ASSISTANT, new ContentPart.Text(""),
            new ContentPart.ToolUse("call_A", "get_weather", RawJson.of("{\"city\":\"Paris\"}"), null),
            new ContentPart.ToolUse("call_B", "get_weather", new RawJson("\"{\\\"city\\\":\\\"Rome\\\"}\""), null)),
        msg(Role.TOOL, new ContentPart.ToolResult("call_A", List.of(new ContentPart.Text("18C")), false, null)),
        msg(Role.TOOL, new ContentPart.ToolResult("call_B", List.of(new ContentPart.Text("boom")), true, null)),
        ChatMessage.of(Role.USER, "Thanks, and?"))
        .tools(List.of(Tool.function("get_weather", "Weather", RawJson.of("{\"type\":\"object\"}"))))
        .toolChoice(ToolChoice.REQUIRED).parallelToolCalls(false).build());

    assertThat(body.getJsonArray("messages")).isEqualTo(new JsonObject("""
        {"m":[{"role":"user","content":"Weather in Paris and Rome?"},
         {"role":"assistant","content":[
           {"type":"tool_use","id":"call_A","name":"get_weather","input":{"city":"Paris"}},
           {"type":"tool_use","id":"call_B","name":"get_weather","input":{"city":"Rome"}}]},
         {"role":"user","content":[
           {"type":"tool_result","tool_use_id":"call_A","content":"18C"},
           {"type":"tool_result","tool_use_id":"call_B","content":"boom","is_error":true},
           {"type":"text","text":"Thanks, and?"}]}]}""").getJsonArray("m"));
    assertThat(body.getJsonArray("tools").getJsonObject(0)).isEqualTo(new JsonObject(
        "{\"name\":\"get_weather\",\"description\":\"Weather\",\"input_schema\":{\"type\":\"object\"}}"));
    assertThat(body.getJsonObject("tool_choice")).isEqualTo(new JsonObject(
        "{\"type\":\"any\",\"disable_parallel_tool_use\":true}"));
  }

  @Test
  @DisplayName("a tool result of several text blocks keeps them as blocks, with a cache breakpoint on the last")
  void toolResultTextBlocks() {
    JsonObject body = map(chat(ChatMessage.of(Role.USER, "Logs?"),
        msg(Role.ASSISTANT, new ContentPart.ToolUse("toolu_1", "logs", RawJson.of("{}"), null)),
        msg(Role.TOOL, new ContentPart.ToolResult("toolu_1", List.of(new ContentPart.Text("line one"),
            new ContentPart.Text("line two", CacheControl.EPHEMERAL)), false, null)))
        .dialect(Dialect.ANTHROPIC).build());

    assertThat(body.getJsonArray("messages").getJsonObject(2)).isEqualTo(new JsonObject("""
        {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[
          {"type":"text","text":"line one"},
          {"type":"text","text":"line two","cache_control":{"type":"ephemeral"}}]}]}"""));
  }

  @Test
  @DisplayName("tool_choice auto, none and a named tool; parallel calls off alone means auto without parallel use")
  void toolChoices() {
    Tool t = Tool.function("f", null, null);
    assertThat(AnthropicRequestMapper.toolChoice(chat().tools(List.of(t)).toolChoice(ToolChoice.AUTO).build()))
        .isEqualTo(new JsonObject("{\"type\":\"auto\"}"));
    assertThat(AnthropicRequestMapper.toolChoice(chat().tools(List.of(t)).toolChoice(ToolChoice.NONE)
        .parallelToolCalls(false).build())).isEqualTo(new JsonObject("{\"type\":\"none\"}"));
    assertThat(AnthropicRequestMapper.toolChoice(chat().tools(List.of(t)).toolChoice(ToolChoice.named("f")).build()))
        .isEqualTo(new JsonObject("{\"type\":\"tool\",\"name\":\"f\"}"));
    assertThat(AnthropicRequestMapper.toolChoice(chat().tools(List.of(t)).parallelToolCalls(false).build()))
        .isEqualTo(new JsonObject("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"));
    assertThat(AnthropicRequestMapper.toolChoice(chat().tools(List.of(t)).parallelToolCalls(true).build())).isNull();
    JsonObject body = map(chat(ChatMessage.of(Role.USER, "x")).tools(List.of(t)).build());
    assertThat(body.getJsonArray("tools").getJsonObject(0).getJsonObject("input_schema"))
        .isEqualTo(new JsonObject("{\"type\":\"object\",\"properties\":{}}"));
  }

  @Test
  @DisplayName("images by base64, data URL and URL become image sources")
  void images() {
    JsonObject body = map(chat(msg(Role.USER, new ContentPart.Text("What is this?"),
        new ContentPart.Image(null, "image/png", "iVBORw0KGgo=", null, null),
        new ContentPart.Image("data:image/jpeg;base64,/9j/4AAQ", null, null, "high", null),
        new ContentPart.Image("https://example.com/cat.png", null, null, null, CacheControl.EPHEMERAL))).build());

    assertThat(body.getJsonArray("messages").getJsonObject(0).getJsonArray("content")).isEqualTo(new JsonObject("""
        {"c":[{"type":"text","text":"What is this?"},
         {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
         {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}},
         {"type":"image","source":{"type":"url","url":"https://example.com/cat.png"},"cache_control":{"type":"ephemeral"}}]}
        """).getJsonArray("c"));
  }

  @Test
  @DisplayName("signed thinking and redacted thinking go back; unsigned reasoning is dropped; cache control is kept")
  void thinkingAndCache() {
    JsonObject body = map(chat(
        msg(Role.SYSTEM, new ContentPart.Text("Long context", new CacheControl("1h"))),
        ChatMessage.of(Role.USER, "27 * 453?"),
        msg(Role.ASSISTANT, new ContentPart.Reasoning("Let me think", "sig-1", null),
            new ContentPart.Reasoning(null, null, "opaque-redacted"),
            new ContentPart.Reasoning("unsigned musing", null, null),
            new ContentPart.Text("12,231")),
        ChatMessage.of(Role.USER, "Sure?")).reasoning(new ReasoningOptions(null, 2000, true)).build());

    assertThat(body.getJsonArray("system")).isEqualTo(new JsonObject("""
        {"s":[{"type":"text","text":"Long context","cache_control":{"type":"ephemeral","ttl":"1h"}}]}""")
        .getJsonArray("s"));
    assertThat(body.getJsonArray("messages").getJsonObject(1).getJsonArray("content")).isEqualTo(new JsonObject("""
        {"c":[{"type":"thinking","thinking":"Let me think","signature":"sig-1"},
         {"type":"redacted_thinking","data":"opaque-redacted"},{"type":"text","text":"12,231"}]}""")
        .getJsonArray("c"));
    assertThat(body.getJsonObject("thinking")).isEqualTo(new JsonObject("{\"type\":\"enabled\",\"budget_tokens\":2000}"));
    assertThat(body.getInteger("max_tokens")).isEqualTo(4096);
  }

  @Test
  @DisplayName("a reasoning effort becomes a budget; the limit grows to hold it, or the budget is cut to a client limit")
  void effortToBudget() {
    JsonObject high = map(chat(ChatMessage.of(Role.USER, "x")).reasoning(new ReasoningOptions("high", null, true)).build());
    assertThat(high.getJsonObject("thinking").getInteger("budget_tokens")).isEqualTo(16384);
    assertThat(high.getInteger("max_tokens")).isEqualTo(16384 + 4096);

    JsonObject capped = map(chat(ChatMessage.of(Role.USER, "x")).maxCompletionTokens(3000)
        .reasoning(new ReasoningOptions("medium", null, true)).build());
    assertThat(capped.getInteger("max_tokens")).isEqualTo(3000);
    assertThat(capped.getJsonObject("thinking").getInteger("budget_tokens")).isEqualTo(2999);

    assertThat(map(chat(ChatMessage.of(Role.USER, "x")).reasoning(new ReasoningOptions("none", null, true)).build())
        .containsKey("thinking")).isFalse();
    GatewayException tooSmall = refused(chat(ChatMessage.of(Role.USER, "x")).maxTokens(500)
        .reasoning(new ReasoningOptions("low", null, true)).build());
    assertThat(tooSmall.param()).isEqualTo("max_tokens");
  }

  @Test
  @DisplayName("n > 1, a JSON response format, another dialect's parameters, parts and tools are refused by name")
  void refusals() {
    ChatRequest base = chat(ChatMessage.of(Role.USER, "x")).build();
    assertThat(refused(base.toBuilder().n(2).build()).param()).isEqualTo("n");
    assertThat(refused(base.toBuilder().temperature(1.5).build()).param()).isEqualTo("temperature");
    GatewayException schema = refused(base.toBuilder().responseFormat(new ResponseFormat(
        ResponseFormat.Type.JSON_SCHEMA, "s", RawJson.of("{}"), true)).build());
    assertThat(schema.param()).isEqualTo("response_format");
    assertThat(schema.getMessage()).contains("json_schema");
    assertThat(refused(base.toBuilder().extra(Map.of("seed", new RawJson("42"))).build()).getMessage())
        .contains("'seed'").contains("openai-chat");
    assertThat(refused(chat(msg(Role.USER, new ContentPart.Opaque(Dialect.OPENAI_CHAT, "input_audio",
        RawJson.of("{}")))).build()).getMessage()).contains("'input_audio'");
    assertThat(refused(base.toBuilder().tools(List.of(new Tool(null, null, null, null, null,
        new ContentPart.Opaque(Dialect.OPENAI_RESPONSES, "web_search_preview", RawJson.of("{}"))))).build())
        .getMessage()).contains("'web_search_preview'");
    assertThat(refused(chat(msg(Role.ASSISTANT, new ContentPart.ToolUse("c", "f", new RawJson("\"not json\""),
        null))).build()).getMessage()).contains("'c'");
    // Parameters that change nothing about the answer are dropped, not refused.
    assertThat(map(base.toBuilder().extra(Map.of("store", new RawJson("true"))).build()).containsKey("store")).isFalse();
  }

  @Test
  @DisplayName("an anthropic-dialect request passes its own extras, parts and tools through verbatim")
  void sameDialectPassThrough() {
    JsonObject body = map(chat(msg(Role.USER, new ContentPart.Opaque(Dialect.ANTHROPIC, "document",
        RawJson.of("{\"type\":\"document\",\"source\":{\"type\":\"text\",\"media_type\":\"text/plain\",\"data\":\"hi\"}}")),
        new ContentPart.Text("Summarise")))
        .dialect(Dialect.ANTHROPIC)
        .metadata(Map.of("user_id", "u-1"))
        .tools(List.of(new Tool(null, null, null, null, null, new ContentPart.Opaque(Dialect.ANTHROPIC,
            "web_search_20250305", RawJson.of("{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}")))))
        .extra(Map.of("service_tier", new RawJson("\"auto\""))).build());

    assertThat(body.getString("service_tier")).isEqualTo("auto");
    assertThat(body.getJsonObject("metadata")).isEqualTo(new JsonObject("{\"user_id\":\"u-1\"}"));
    assertThat(body.getJsonArray("tools").getJsonObject(0).getString("type")).isEqualTo("web_search_20250305");
    assertThat(body.getJsonArray("messages").getJsonObject(0).getJsonArray("content").getJsonObject(0)
        .getString("type")).isEqualTo("document");
  }

  @Test
  @DisplayName("the upstream model is the deployment's upstream_model")
  void model() {
    UpstreamCall call = TestCalls.call(deployment(null), chat(ChatMessage.of(Role.USER, "x")).build(), "unused");
    assertThat(AnthropicRequestMapper.toJson(call).getString("model")).isEqualTo("claude-test");
  }
}
