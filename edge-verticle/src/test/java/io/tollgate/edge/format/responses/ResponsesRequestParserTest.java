package io.tollgate.edge.format.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Responses request parser: OpenAI Responses body to ChatRequest")
class ResponsesRequestParserTest {

  private static ResponsesRequest parse(String json) {
    return ResponsesRequestParser.parse(new JsonObject(json), new JsonArray());
  }

  private static GatewayException failure(String json) {
    return catchThrowableOfType(GatewayException.class, () -> parse(json));
  }

  @Test
  @DisplayName("a string input is one user message, instructions a leading system message, dialect openai-responses")
  void stringInputAndInstructions() {
    ResponsesRequest r = parse("{\"model\":\"m\",\"instructions\":\"Be brief.\",\"input\":\"hi\"}");
    ChatRequest chat = r.chat();
    assertThat(chat.dialect()).isEqualTo(Dialect.OPENAI_RESPONSES);
    assertThat(chat.messages()).containsExactly(ChatMessage.of(Role.SYSTEM, "Be brief."), ChatMessage.of(Role.USER, "hi"));
    assertThat(r.instructions()).isEqualTo("Be brief.");
    assertThat(r.store()).as("store defaults to true").isTrue();
    assertThat(r.conversation()).as("kept without the instructions")
        .isEqualTo(new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
  }

  @Test
  @DisplayName("message items with every role and input_text, output_text and input_image parts")
  void messageItems() {
    ChatRequest chat = parse("""
        {"model":"m","input":[
          {"type":"message","role":"developer","content":"rules"},
          {"role":"system","content":[{"type":"input_text","text":"sys"}]},
          {"type":"message","role":"user","content":[{"type":"input_text","text":"look"},
            {"type":"input_image","image_url":"https://x/a.png","detail":"high"},
            {"type":"input_image","image_url":"data:image/jpeg;base64,QUJD"},
            {"type":"input_image","file_id":"file-1"},
            {"type":"input_file","file_id":"file-2"}]},
          {"type":"message","role":"assistant","content":[{"type":"output_text","text":"seen","annotations":[]}]},
          {"role":"user","content":"more"},
          {"type":"message","role":"assistant","content":[{"type":"refusal","refusal":"I can't."}]}]}
        """).chat();
    assertThat(chat.messages()).hasSize(6);
    assertThat(chat.messages().get(5)).as("a refusal is what the assistant said").isEqualTo(
        ChatMessage.of(Role.ASSISTANT, "I can't."));
    assertThat(chat.messages().get(0)).isEqualTo(ChatMessage.of(Role.DEVELOPER, "rules"));
    assertThat(chat.messages().get(1)).isEqualTo(ChatMessage.of(Role.SYSTEM, "sys"));
    List<ContentPart> user = chat.messages().get(2).content();
    assertThat(user.get(0)).isEqualTo(new ContentPart.Text("look"));
    assertThat(user.get(1)).isEqualTo(new ContentPart.Image("https://x/a.png", null, null, "high", null));
    assertThat(user.get(2)).isEqualTo(new ContentPart.Image(null, "image/jpeg", "QUJD", null, null));
    assertThat(user.get(3)).isInstanceOfSatisfying(ContentPart.Opaque.class, o -> {
      assertThat(o.dialect()).isEqualTo(Dialect.OPENAI_RESPONSES);
      assertThat(o.kind()).isEqualTo("input_image.file_id");
    });
    assertThat(((ContentPart.Opaque) user.get(4)).kind()).isEqualTo("input_file");
    assertThat(chat.messages().get(3)).isEqualTo(ChatMessage.of(Role.ASSISTANT, "seen"));
  }

  @Test
  @DisplayName("reasoning, message and function_call items of one turn merge into one assistant message; outputs are tool messages")
  void functionCallRoundTrip() {
    ChatRequest chat = parse("""
        {"model":"m","input":[
          {"role":"user","content":"weather?"},
          {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"think"}],"encrypted_content":"enc"},
          {"type":"function_call","id":"fc_1","call_id":"call_A","name":"w","arguments":"{\\"city\\":\\"Paris\\"}"},
          {"type":"function_call","id":"fc_2","call_id":"call_B","name":"w","arguments":"not json"},
          {"type":"function_call_output","call_id":"call_A","output":"18C"},
          {"type":"function_call_output","call_id":"call_B","output":[{"type":"input_text","text":"20C"}]},
          {"type":"web_search_call","id":"ws_1","status":"completed"}]}
        """).chat();
    assertThat(chat.messages()).hasSize(5);
    ChatMessage assistant = chat.messages().get(1);
    assertThat(assistant.role()).isEqualTo(Role.ASSISTANT);
    assertThat(assistant.content()).containsExactly(
        new ContentPart.Reasoning("think", null, "enc"),
        new ContentPart.ToolUse("call_A", "w", new RawJson("{\"city\":\"Paris\"}"), null),
        new ContentPart.ToolUse("call_B", "w", new RawJson("\"not json\""), null));
    assertThat(chat.messages().get(2)).isEqualTo(new ChatMessage(Role.TOOL,
        List.of(new ContentPart.ToolResult("call_A", List.of(new ContentPart.Text("18C")), false, null)), null));
    assertThat(chat.messages().get(3).content().get(0)).isInstanceOfSatisfying(ContentPart.ToolResult.class,
        t -> assertThat(t.text()).isEqualTo("20C"));
    assertThat(chat.messages().get(4).content().get(0)).isInstanceOfSatisfying(ContentPart.Opaque.class,
        o -> assertThat(o.kind()).isEqualTo("web_search_call"));
  }

  @Test
  @DisplayName("a reasoning item whose encrypted_content the gateway wrote comes back as the signed thinking; a damaged one is a 400")
  void signedReasoningBack() {
    String encrypted = SignedReasoning.encode("The tool says 88F.", "EqQBCgIYAhIM1gbcDa9G");
    ChatRequest chat = parse(new JsonObject().put("model", "m").put("input", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "weather?"))
        .add(new JsonObject().put("type", "reasoning").put("id", "rs_1").put("summary", new JsonArray())
            .put("content", new JsonArray().add(new JsonObject().put("type", "reasoning_text").put("text", "edited")))
            .put("encrypted_content", encrypted))).encode()).chat();
    assertThat(chat.messages().get(1).content())
        .containsExactly(new ContentPart.Reasoning("The tool says 88F.", "EqQBCgIYAhIM1gbcDa9G", null));

    GatewayException e = failure("""
        {"model":"m","input":[{"type":"reasoning","summary":[],"encrypted_content":"tg1.thinking.bm90IGpzb24"}]}""");
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(e.param()).isEqualTo("input[0].encrypted_content");
  }

  @Test
  @DisplayName("function tools with top-level name, description, parameters and strict; hosted tools opaque; named tool_choice")
  void tools() {
    ChatRequest chat = parse("""
        {"model":"m","input":"x","tools":[
          {"type":"function","name":"w","description":"d","parameters":{"type":"object"},"strict":true},
          {"type":"web_search_preview"}],
         "tool_choice":{"type":"function","name":"w"},"parallel_tool_calls":false}
        """).chat();
    assertThat(chat.tools().get(0)).isEqualTo(new Tool("w", "d", new RawJson("{\"type\":\"object\"}"), true, null, null));
    assertThat(chat.tools().get(1).isFunction()).isFalse();
    assertThat(chat.tools().get(1).opaque().kind()).isEqualTo("tool:web_search_preview");
    assertThat(chat.toolChoice()).isEqualTo(ToolChoice.named("w"));
    assertThat(chat.parallelToolCalls()).isFalse();
  }

  @Test
  @DisplayName("sampling, limits, reasoning effort, text.format, metadata and user; unknown parameters go to extra, gateway-only ones do not")
  void parameters() {
    ChatRequest chat = parse("""
        {"model":"m","input":"x","max_output_tokens":100,"temperature":0.5,"top_p":0.9,"reasoning":{"effort":"low","summary":"auto"},
         "text":{"format":{"type":"json_schema","name":"s","schema":{"type":"object"},"strict":true},"verbosity":"low"},
         "metadata":{"k":"v"},"user":"u","stream":true,"store":false,"include":["reasoning.encrypted_content"],
         "prompt_cache_key":"abc","truncation":"disabled","service_tier":"flex"}
        """).chat();
    assertThat(chat.maxCompletionTokens()).isEqualTo(100);
    assertThat(chat.temperature()).isEqualTo(0.5);
    assertThat(chat.topP()).isEqualTo(0.9);
    assertThat(chat.reasoning()).isEqualTo(new ReasoningOptions("low", null, true));
    assertThat(chat.responseFormat()).isEqualTo(new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "s",
        new RawJson("{\"type\":\"object\"}"), true));
    assertThat(chat.metadata()).containsEntry("k", "v");
    assertThat(chat.user()).isEqualTo("u");
    assertThat(chat.stream()).isTrue();
    assertThat(chat.extra()).containsOnlyKeys("service_tier");
    assertThat(parse("{\"model\":\"m\",\"input\":\"x\",\"text\":{\"format\":{\"type\":\"json_object\"}}}").chat()
        .responseFormat().type()).isEqualTo(ResponseFormat.Type.JSON_OBJECT);
  }

  @Test
  @DisplayName("a previous response's items come before this request's input, after the instructions")
  void continuesPrevious() {
    JsonArray previous = new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "first"))
        .add(new JsonObject().put("type", "message").put("role", "assistant")
            .put("content", new JsonArray().add(new JsonObject().put("type", "output_text").put("text", "one"))));
    ResponsesRequest r = ResponsesRequestParser.parse(new JsonObject(
        "{\"model\":\"m\",\"instructions\":\"I\",\"input\":\"second\",\"previous_response_id\":\"resp_1\"}"), previous);
    assertThat(r.chat().messages()).containsExactly(ChatMessage.of(Role.SYSTEM, "I"), ChatMessage.of(Role.USER, "first"),
        ChatMessage.of(Role.ASSISTANT, "one"), ChatMessage.of(Role.USER, "second"));
    assertThat(r.previousResponseId()).isEqualTo("resp_1");
    assertThat(r.conversation()).hasSize(3);
  }

  @ParameterizedTest(name = "{0} -> 400 naming {1}")
  @CsvSource(delimiter = '|', value = {
      "{\"input\":\"x\"}|model",
      "{\"model\":\"m\"}|input",
      "{\"model\":\"m\",\"input\":7}|input",
      "{\"model\":\"m\",\"input\":[]}|input",
      "{\"model\":\"m\",\"input\":[{\"role\":\"robot\",\"content\":\"x\"}]}|input[0].role",
      "{\"model\":\"m\",\"input\":[{\"role\":\"user\"}]}|input[0].content",
      "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\"}]}]}|input[0].content[0].text",
      "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\"}]}]}|input[0].content[0].image_url",
      "{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"name\":\"w\"}]}|input[0].call_id",
      "{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"call_id\":\"c\",\"name\":\"w\",\"arguments\":{}}]}|input[0].arguments",
      "{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"c\"}]}|input[0].output",
      "{\"model\":\"m\",\"input\":\"x\",\"tools\":[{\"type\":\"function\"}]}|tools[0].name",
      "{\"model\":\"m\",\"input\":\"x\",\"tool_choice\":\"sometimes\"}|tool_choice",
      "{\"model\":\"m\",\"input\":\"x\",\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"strict\":\"y\"}]}|tools[0].strict",
      "{\"model\":\"m\",\"input\":\"x\",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}}}|tool_choice",
      "{\"model\":\"m\",\"input\":\"x\",\"text\":{\"format\":{\"type\":\"xml\"}}}|text.format.type",
      "{\"model\":\"m\",\"input\":\"x\",\"metadata\":{\"k\":1}}|metadata.k",
      "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\",\"image_url\":\"data:image/png,x\"}]}]}|input[0].content[0].image_url",
      "{\"model\":\"m\",\"input\":\"x\",\"max_output_tokens\":0}|max_output_tokens",
      "{\"model\":\"m\",\"input\":\"x\",\"temperature\":3}|temperature",
      "{\"model\":\"m\",\"input\":\"x\",\"store\":\"yes\"}|store",
      "{\"model\":\"m\",\"input\":\"x\",\"text\":{\"format\":{\"type\":\"json_schema\",\"schema\":{}}}}|text.format.name",
      "{\"model\":\"m\",\"input\":\"x\",\"reasoning\":\"high\"}|reasoning",
      "{\"model\":\"m\",\"input\":\"x\",\"background\":true}|background",
      "{\"model\":\"m\",\"input\":\"x\",\"previous_response_id\":5}|previous_response_id"})
  void refusesNamingTheField(String body, String field) {
    GatewayException e = failure(body);
    assertThat(e).as("a 400 for " + body).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(e.param()).isEqualTo(field);
    assertThat(e.getMessage()).contains("'" + field + "'");
  }
}
