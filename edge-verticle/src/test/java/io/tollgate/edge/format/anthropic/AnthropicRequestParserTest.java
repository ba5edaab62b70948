package io.tollgate.edge.format.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.CacheControl;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.chat.Dialect;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.ReasoningOptions;
import io.tollgate.api.chat.Role;
import io.tollgate.api.chat.Tool;
import io.tollgate.api.chat.ToolChoice;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Anthropic request parser: Messages body to ChatRequest")
class AnthropicRequestParserTest {

  private static final String HELLO = "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]";

  private static ChatRequest parse(String json) {
    return AnthropicRequestParser.parse(Buffer.buffer(json));
  }

  private static ChatRequest parse(JsonObject json) {
    return AnthropicRequestParser.parse(json.toBuffer());
  }

  private static GatewayException failure(String json) {
    return catchThrowableOfType(GatewayException.class, () -> parse(json));
  }

  /** A body with model and max_tokens around the given messages JSON. */
  private static JsonObject body(String messages) {
    return new JsonObject("{\"model\":\"claude\",\"max_tokens\":100,\"messages\":" + messages + "}");
  }

  @Test
  @DisplayName("a minimal body gives the model, max_tokens, one user message and the Anthropic dialect")
  void minimal() {
    ChatRequest req = parse("{\"model\":\"claude-sonnet\",\"max_tokens\":1024," + HELLO + "}");

    assertThat(req.model()).isEqualTo("claude-sonnet");
    assertThat(req.dialect()).isEqualTo(Dialect.ANTHROPIC);
    assertThat(req.maxTokens()).isEqualTo(1024);
    assertThat(req.messages()).containsExactly(ChatMessage.of(Role.USER, "hello"));
    assertThat(req.stream()).isFalse();
    assertThat(req.stop()).isNull();
    assertThat(req.tools()).isEmpty();
    assertThat(req.extra()).isEmpty();
    assertThat(req.metadata()).isEmpty();
  }

  @Test
  @DisplayName("max_tokens is required, as Anthropic requires it, and the 400 names it")
  void maxTokensRequired() {
    GatewayException e = failure("{\"model\":\"claude\"," + HELLO + "}");
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(e.getMessage()).isEqualTo("max_tokens: Field required");
    assertThat(e.param()).isEqualTo("max_tokens");
  }

  @Test
  @DisplayName("count_tokens takes the same body without max_tokens")
  void countWithoutMaxTokens() {
    ChatRequest req = AnthropicRequestParser.parseCount(Buffer.buffer("{\"model\":\"claude\"," + HELLO + "}"));
    assertThat(req.maxTokens()).isNull();
    assertThat(req.messages()).hasSize(1);
  }

  @Test
  @DisplayName("a string system prompt becomes a leading system message")
  void systemString() {
    ChatRequest req = parse(body("[{\"role\":\"user\",\"content\":\"hi\"}]").put("system", "Be brief."));
    assertThat(req.messages()).containsExactly(ChatMessage.of(Role.SYSTEM, "Be brief."), ChatMessage.of(Role.USER, "hi"));
  }

  @Test
  @DisplayName("system text blocks keep their cache breakpoints")
  void systemBlocks() {
    ChatRequest req = parse(body("[{\"role\":\"user\",\"content\":\"hi\"}]").put("system", new io.vertx.core.json.JsonArray(
        "[{\"type\":\"text\",\"text\":\"A\"},{\"type\":\"text\",\"text\":\"B\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}]")));
    ChatMessage system = req.messages().get(0);
    assertThat(system.role()).isEqualTo(Role.SYSTEM);
    assertThat(system.content()).containsExactly(new ContentPart.Text("A", null),
        new ContentPart.Text("B", new CacheControl("1h")));
  }

  @Test
  @DisplayName("a system block that is not text is refused by its path")
  void systemNotText() {
    GatewayException e = catchThrowableOfType(GatewayException.class, () -> parse(
        body("[{\"role\":\"user\",\"content\":\"hi\"}]").put("system", new io.vertx.core.json.JsonArray(
            "[{\"type\":\"image\",\"source\":{}}]"))));
    assertThat(e.getMessage()).isEqualTo("system.0.type: Input should be 'text'");
  }

  @Test
  @DisplayName("text and image blocks (base64 and URL) become text and image parts")
  void textAndImages() {
    ChatRequest req = parse(body("""
        [{"role":"user","content":[
          {"type":"text","text":"What is this?","cache_control":{"type":"ephemeral"}},
          {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
          {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]}]"""));
    assertThat(req.messages().get(0).content()).containsExactly(
        new ContentPart.Text("What is this?", CacheControl.EPHEMERAL),
        new ContentPart.Image(null, "image/png", "iVBORw0KGgo=", null, null),
        new ContentPart.Image("https://example.com/cat.jpg", null, null, null, null));
  }

  @Test
  @DisplayName("an assistant's tool_use keeps its input object; thinking and redacted thinking become reasoning parts")
  void assistantBlocks() {
    ChatRequest req = parse(body("""
        [{"role":"user","content":"Weather?"},
         {"role":"assistant","content":[
           {"type":"thinking","thinking":"Need the tool.","signature":"sig-1"},
           {"type":"redacted_thinking","data":"ENCRYPTED"},
           {"type":"text","text":"Checking."},
           {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]}]"""));
    assertThat(req.messages().get(1).role()).isEqualTo(Role.ASSISTANT);
    assertThat(req.messages().get(1).content()).containsExactly(
        new ContentPart.Reasoning("Need the tool.", "sig-1", null),
        new ContentPart.Reasoning(null, null, "ENCRYPTED"),
        new ContentPart.Text("Checking."),
        new ContentPart.ToolUse("toolu_1", "get_weather", new RawJson("{\"city\":\"Paris\"}"), null));
  }

  @Test
  @DisplayName("tool results in a user turn become a tool message before the user's other blocks")
  void toolResults() {
    ChatRequest req = parse(body("""
        [{"role":"user","content":[
          {"type":"tool_result","tool_use_id":"toolu_1","content":"18C"},
          {"type":"tool_result","tool_use_id":"toolu_2","is_error":true,"content":[
            {"type":"text","text":"no such city"},
            {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]},
          {"type":"text","text":"Go on."}]}]"""));
    assertThat(req.messages()).hasSize(2);
    ChatMessage tool = req.messages().get(0);
    assertThat(tool.role()).isEqualTo(Role.TOOL);
    assertThat(tool.content()).containsExactly(
        new ContentPart.ToolResult("toolu_1", List.of(new ContentPart.Text("18C")), false, null),
        new ContentPart.ToolResult("toolu_2", List.of(new ContentPart.Text("no such city"),
            new ContentPart.Image(null, "image/png", "AAAA", null, null)), true, null));
    assertThat(req.messages().get(1)).isEqualTo(ChatMessage.of(Role.USER, "Go on."));
  }

  @Test
  @DisplayName("documents and unknown blocks are kept as Anthropic opaque parts, byte for byte")
  void opaqueBlocks() {
    String doc = "{\"type\":\"document\",\"source\":{\"type\":\"text\",\"media_type\":\"text/plain\",\"data\":\"x\"}}";
    ChatRequest req = parse(body("[{\"role\":\"user\",\"content\":[" + doc + ",{\"type\":\"search_result\",\"a\":1}]}]"));
    assertThat(req.messages().get(0).content()).containsExactly(
        new ContentPart.Opaque(Dialect.ANTHROPIC, "document", new RawJson(new JsonObject(doc).encode())),
        new ContentPart.Opaque(Dialect.ANTHROPIC, "search_result", new RawJson("{\"type\":\"search_result\",\"a\":1}")));
  }

  @Test
  @DisplayName("custom tools become function tools; server tools with a versioned type stay opaque")
  void tools() {
    ChatRequest req = parse(body("[{\"role\":\"user\",\"content\":\"hi\"}]").put("tools", new io.vertx.core.json.JsonArray("""
        [{"name":"get_weather","description":"Weather","input_schema":{"type":"object"},"cache_control":{"type":"ephemeral"}},
         {"type":"custom","name":"other","input_schema":{"type":"object","properties":{}}},
         {"type":"web_search_20250305","name":"web_search","max_uses":5}]""")));
    assertThat(req.tools()).hasSize(3);
    assertThat(req.tools().get(0)).isEqualTo(new Tool("get_weather", "Weather", new RawJson("{\"type\":\"object\"}"), null,
        CacheControl.EPHEMERAL, null));
    assertThat(req.tools().get(1).name()).isEqualTo("other");
    Tool server = req.tools().get(2);
    assertThat(server.isFunction()).isFalse();
    assertThat(server.opaque().kind()).isEqualTo("tool:web_search_20250305");
    assertThat(server.opaque().dialect()).isEqualTo(Dialect.ANTHROPIC);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"type\":\"auto\"}|AUTO|",
      "{\"type\":\"any\"}|REQUIRED|",
      "{\"type\":\"none\"}|NONE|",
      "{\"type\":\"tool\",\"name\":\"get_weather\"}|NAMED|get_weather"})
  @DisplayName("tool_choice auto/any/none/tool map to auto/required/none/named")
  void toolChoice(String json, ToolChoice.Mode mode, String name) {
    ChatRequest req = parse(body("[{\"role\":\"user\",\"content\":\"hi\"}]").put("tool_choice", new JsonObject(json)));
    assertThat(req.toolChoice()).isEqualTo(new ToolChoice(mode, name));
    assertThat(req.parallelToolCalls()).isNull();
  }

  @Test
  @DisplayName("disable_parallel_tool_use turns parallel tool calls off")
  void disableParallel() {
    ChatRequest req = parse(body("[{\"role\":\"user\",\"content\":\"hi\"}]")
        .put("tool_choice", new JsonObject("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}")));
    assertThat(req.parallelToolCalls()).isFalse();
  }

  @Test
  @DisplayName("sampling, stop sequences, metadata.user_id, thinking and stream are read; unknown parameters are kept raw")
  void parameters() {
    ChatRequest req = parse(body("[{\"role\":\"user\",\"content\":\"hi\"}]")
        .put("stream", true).put("temperature", 0.5).put("top_p", 0.9).put("top_k", 40)
        .put("stop_sequences", new io.vertx.core.json.JsonArray().add("END"))
        .put("metadata", new JsonObject().put("user_id", "u-42"))
        .put("thinking", new JsonObject().put("type", "enabled").put("budget_tokens", 2048))
        .put("service_tier", "auto"));
    assertThat(req.stream()).isTrue();
    assertThat(req.temperature()).isEqualTo(0.5);
    assertThat(req.topP()).isEqualTo(0.9);
    assertThat(req.topK()).isEqualTo(40);
    assertThat(req.stop()).containsExactly("END");
    assertThat(req.metadata()).isEqualTo(Map.of("user_id", "u-42"));
    assertThat(req.reasoning()).isEqualTo(new ReasoningOptions(null, 2048, true));
    assertThat(req.extra()).isEqualTo(Map.of("service_tier", new RawJson("\"auto\"")));
  }

  @Test
  @DisplayName("thinking disabled is kept as an explicit no")
  void thinkingDisabled() {
    ChatRequest req = parse(body("[{\"role\":\"user\",\"content\":\"hi\"}]")
        .put("thinking", new JsonObject().put("type", "disabled")));
    assertThat(req.reasoning()).isEqualTo(new ReasoningOptions(null, null, false));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "{\"max_tokens\":10,\"messages\":[]}|model: Field required",
      "{\"model\":\"c\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}|max_tokens: Input should be greater than or equal to 1",
      "{\"model\":\"c\",\"max_tokens\":10}|messages: Field required",
      "{\"model\":\"c\",\"max_tokens\":10,\"messages\":[]}|messages: at least one message is required",
      "{\"model\":\"c\",\"max_tokens\":10,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}|messages.0.role: Input should be 'user' or 'assistant'",
      "{\"model\":\"c\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\"}]}|messages.0.content: Field required",
      "{\"model\":\"c\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]}|messages.0.content.0.text: Field required",
      "{\"model\":\"c\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\"}}]}]}|messages.0.content.0.source.data: Field required",
      "{\"model\":\"c\",\"max_tokens\":10,\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\",\"input\":\"{}\"}]}]}|messages.0.content.0.input: Input should be a valid dictionary",
      "{\"model\":\"c\",\"max_tokens\":10,\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\"}]}]}|messages.0.content.0.type: tool_result blocks are only allowed in user messages",
      "{\"model\":\"c\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\"}]}]}|messages.0.content.0.tool_use_id: Field required",
      "{\"model\":\"c\",\"max_tokens\":10,\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"x\"}]}]}|messages.0.content.0.signature: Field required",
      "{\"model\":\"c\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"name\":\"f\"}]}|tools.0.input_schema: Field required",
      "{\"model\":\"c\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tool_choice\":{\"type\":\"required\"}}|tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'",
      "{\"model\":\"c\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tool_choice\":{\"type\":\"tool\"}}|tool_choice.name: Field required",
      "{\"model\":\"c\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":1.5}|temperature: Input should be between 0 and 1",
      "{\"model\":\"c\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stop_sequences\":[\"a\",1]}|stop_sequences.1: Input should be a valid string",
      "{\"model\":\"c\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"metadata\":{\"tenant\":\"x\"}}|metadata.tenant: Extra inputs are not permitted",
      "{\"model\":\"c\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"thinking\":{\"type\":\"enabled\"}}|thinking.budget_tokens: Field required",
      "{\"model\":\"c\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"thinking\":{\"type\":\"on\"}}|thinking.type: Input should be 'enabled' or 'disabled'",
      "{\"model\":\"c\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"x\",\"cache_control\":{\"type\":\"forever\"}}]}]}|messages.0.content.0.cache_control.type: Input should be 'ephemeral'"})
  @DisplayName("every invalid field gets a 400 whose message and param name it")
  void errorsNameTheField(String json, String message) {
    GatewayException e = failure(json);
    assertThat(e).as("refused").isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(e.getMessage()).isEqualTo(message);
    assertThat(e.param()).isEqualTo(message.substring(0, message.indexOf(':')));
  }

  @Test
  @DisplayName("a body that is not JSON is a 400, not a stack trace")
  void notJson() {
    assertThat(failure("{\"model\":").code()).isEqualTo(ErrorCode.INVALID_JSON);
  }
}
