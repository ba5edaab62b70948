package io.tollgate.edge.format.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.chat.Dialect;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.ResponseFormat;
import io.tollgate.api.chat.Role;
import io.tollgate.api.chat.Tool;
import io.tollgate.api.chat.ToolChoice;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Chat request parser: OpenAI body to ChatRequest")
class ChatRequestParserTest {

  private static final String HELLO = "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]";

  private static ChatRequest parse(String json) {
    return ChatRequestParser.parse(Buffer.buffer(json));
  }

  private static GatewayException failure(String json) {
    return catchThrowableOfType(GatewayException.class, () -> parse(json));
  }

  @Test
  @DisplayName("a minimal body gives the model, the messages and defaults for everything else")
  void minimal() {
    ChatRequest req = parse("{\"model\":\"gpt-4o\"," + HELLO + "}");

    assertThat(req.model()).isEqualTo("gpt-4o");
    assertThat(req.messages()).containsExactly(ChatMessage.of(Role.USER, "hello"));
    assertThat(req.stream()).isFalse();
    assertThat(req.includeUsage()).isFalse();
    assertThat(req.maxTokens()).isNull();
    assertThat(req.temperature()).isNull();
    assertThat(req.topP()).isNull();
    assertThat(req.n()).isNull();
    assertThat(req.choices()).isEqualTo(1);
    assertThat(req.stop()).isNull();
    assertThat(req.user()).isNull();
    assertThat(req.extra()).isEmpty();
  }

  @Test
  @DisplayName("stream and stream_options.include_usage are read")
  void streamOptions() {
    ChatRequest req = parse("{\"model\":\"m\"," + HELLO
        + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    assertThat(req.stream()).isTrue();
    assertThat(req.includeUsage()).isTrue();
    assertThat(req.extra()).as("typed fields do not also land in extra")
        .doesNotContainKeys("stream", "stream_options");

    ChatRequest noUsage = parse("{\"model\":\"m\"," + HELLO + ",\"stream\":true,\"stream_options\":{}}");
    assertThat(noUsage.stream()).isTrue();
    assertThat(noUsage.includeUsage()).isFalse();
  }

  @Test
  @DisplayName("max_tokens and max_completion_tokens are kept as sent; the budget is max_completion_tokens first")
  void maxTokens() {
    var both = parse("{\"model\":\"m\"," + HELLO + ",\"max_tokens\":10,\"max_completion_tokens\":20}");
    assertThat(both.maxTokens()).isEqualTo(10);
    assertThat(both.maxCompletionTokens()).isEqualTo(20);
    assertThat(both.completionLimit()).isEqualTo(20);
    var legacy = parse("{\"model\":\"m\"," + HELLO + ",\"max_tokens\":10}");
    assertThat(legacy.maxCompletionTokens()).isNull();
    assertThat(legacy.completionLimit()).isEqualTo(10);
    var modern = parse("{\"model\":\"m\"," + HELLO + ",\"max_completion_tokens\":7}");
    assertThat(modern.maxTokens()).as("not rewritten to max_tokens").isNull();
    assertThat(modern.completionLimit()).isEqualTo(7);
  }

  @Test
  @DisplayName("sampling parameters and user are typed")
  void sampling() {
    ChatRequest req = parse("{\"model\":\"m\"," + HELLO
        + ",\"temperature\":0.5,\"top_p\":1,\"n\":3,\"user\":\"alice\"}");
    assertThat(req.temperature()).isEqualTo(0.5);
    assertThat(req.topP()).isEqualTo(1.0);
    assertThat(req.n()).isEqualTo(3);
    assertThat(req.choices()).isEqualTo(3);
    assertThat(req.user()).isEqualTo("alice");
  }

  @Test
  @DisplayName("stop may be one string or an array of strings")
  void stop() {
    assertThat(parse("{\"model\":\"m\"," + HELLO + ",\"stop\":\"END\"}").stop()).containsExactly("END");
    assertThat(parse("{\"model\":\"m\"," + HELLO + ",\"stop\":[\"a\",\"b\"]}").stop()).containsExactly("a", "b");
  }

  @Test
  @DisplayName("unknown top-level fields land in extra as raw JSON; tools and response_format are typed")
  void extraAndTypedTools() {
    String body = "{\"model\":\"m\"," + HELLO + ",\"seed\":42,"
        + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\","
        + "\"schema\":{\"type\":\"object\",\"required\":[\"a\"],\"properties\":{\"a\":{\"type\":\"string\"}}}}},"
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
        + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}],"
        + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}},"
        + "\"logit_bias\":null,\"logprobs\":true}";
    ChatRequest req = parse(body);

    assertThat(req.extra()).containsOnlyKeys("seed", "logprobs");
    assertThat(req.extra().get("seed")).isEqualTo(new RawJson("42"));
    assertThat(req.dialect()).isEqualTo(Dialect.OPENAI_CHAT);
    assertThat(req.tools()).hasSize(1);
    Tool tool = req.tools().get(0);
    assertThat(tool.name()).isEqualTo("get_weather");
    assertThat(new JsonObject(tool.parameters().json()).getJsonObject("properties").containsKey("city")).isTrue();
    assertThat(req.toolChoice()).isEqualTo(ToolChoice.named("get_weather"));
    assertThat(req.responseFormat().type()).isEqualTo(ResponseFormat.Type.JSON_SCHEMA);
    assertThat(new JsonObject(req.responseFormat().schema().json()).getJsonArray("required")).containsExactly("a");
  }

  @Test
  @DisplayName("message content may be a string or typed parts: text, images by URL and as data URLs, others kept opaque")
  void contentParts() {
    ChatRequest req = parse("{\"model\":\"m\",\"messages\":["
        + "{\"role\":\"system\",\"content\":\"be brief\"},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"what is \"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\",\"detail\":\"low\"}},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBO\"}},"
        + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AAA\",\"format\":\"wav\"}},"
        + "{\"type\":\"text\",\"text\":\"this?\"}]}]}");

    assertThat(req.messages()).hasSize(2);
    assertThat(req.messages().get(0).text()).isEqualTo("be brief");
    ChatMessage user = req.messages().get(1);
    assertThat(user.role()).isEqualTo(Role.USER);
    assertThat(user.text()).isEqualTo("what is this?");
    assertThat(user.content()).hasSize(5);
    assertThat(user.content().get(1)).isEqualTo(new ContentPart.Image("https://x/y.png", null, null, "low", null));
    assertThat(user.content().get(2)).isEqualTo(new ContentPart.Image(null, "image/png", "iVBO", null, null));
    assertThat(user.content().get(3)).isInstanceOfSatisfying(ContentPart.Opaque.class, o -> {
      assertThat(o.kind()).isEqualTo("input_audio");
      assertThat(o.dialect()).isEqualTo(Dialect.OPENAI_CHAT);
    });
  }

  @Test
  @DisplayName("assistant tool calls become tool-use parts with their arguments as JSON; tool messages hold a result")
  void toolMessages() {
    ChatRequest req = parse("{\"model\":\"m\",\"messages\":["
        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"x\\\": 1}\"}},"
        + "{\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":\"{\\\"trunc\"}}]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny\"},"
        + "{\"role\":\"user\",\"name\":\"bob\",\"content\":\"ok\"}]}");

    ChatMessage assistant = req.messages().get(0);
    assertThat(assistant.text()).isEmpty();
    assertThat(assistant.content()).containsExactly(
        new ContentPart.ToolUse("call_1", "f", new RawJson("{\"x\": 1}"), null),
        new ContentPart.ToolUse("call_2", "g", new RawJson("\"{\\\"trunc\""), null));
    assertThat(req.messages().get(1)).isEqualTo(new ChatMessage(Role.TOOL, List.of(
        new ContentPart.ToolResult("call_1", List.of(new ContentPart.Text("sunny")), false, null)), null));
    assertThat(req.messages().get(2).name()).isEqualTo("bob");
  }

  @Test
  @DisplayName("a tool message without tool_call_id and the legacy function role are refused by field")
  void toolMessageErrors() {
    assertThatThrownBy(() -> parse("{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}"))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param()).isEqualTo("messages[0].tool_call_id"));
    assertThatThrownBy(() -> parse("{\"model\":\"m\",\"messages\":[{\"role\":\"function\",\"name\":\"f\",\"content\":\"x\"}]}"))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param()).isEqualTo("messages[0].role"));
  }

  @Test
  @DisplayName("an empty body is invalid JSON")
  void emptyBody() {
    assertThat(catchThrowableOfType(GatewayException.class, () -> ChatRequestParser.parse(Buffer.buffer())).code())
        .isEqualTo(ErrorCode.INVALID_JSON);
    assertThat(catchThrowableOfType(GatewayException.class, () -> ChatRequestParser.parse(null)).code())
        .isEqualTo(ErrorCode.INVALID_JSON);
  }

  @Test
  @DisplayName("malformed JSON is invalid JSON")
  void malformed() {
    assertThat(failure("{\"model\":\"m\",").code()).isEqualTo(ErrorCode.INVALID_JSON);
    assertThat(failure("not json").code()).isEqualTo(ErrorCode.INVALID_JSON);
  }

  @Test
  @DisplayName("a body that is JSON but not an object is an invalid request")
  void notAnObject() {
    assertThat(failure("[1,2]").code()).isEqualTo(ErrorCode.INVALID_REQUEST);
  }

  @ParameterizedTest(name = "{0} -> param {1}")
  @DisplayName("invalid fields are refused with the field named in param")
  @CsvSource(delimiter = '|', value = {
      "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}                         | model",
      "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}          | model",
      "{\"model\":\"m\"}                                                              | messages",
      "{\"model\":\"m\",\"messages\":[]}                                              | messages",
      "{\"model\":\"m\",\"messages\":\"hi\"}                                          | messages",
      "{\"model\":\"m\",\"messages\":[\"hi\"]}                                        | messages[0]",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}        | messages[0].role",
      "{\"model\":\"m\",\"messages\":[{\"content\":\"x\"}]}                           | messages[0].role",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"user\",\"content\":5}]} | messages[1].content",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":3}   | temperature",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":-0.1} | temperature",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"top_p\":1.5}      | top_p",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":0}            | n",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":1.5}          | n",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":129}          | n",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":18446744073709551621} | max_tokens",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":2147483648} | max_tokens",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":2147483647}   | n",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":-1}  | max_tokens",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stop\":[1]}       | stop",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stop\":5}         | stop",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":\"yes\"} | stream",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream_options\":true} | stream_options",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"type\":\"function\"}]} | tools[0].function.name",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":1}}]} | tools[0].function.parameters",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tool_choice\":{\"type\":\"function\",\"name\":\"f\"}} | tool_choice",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"response_format\":{\"type\":\"xml\"}} | response_format.type",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{}}} | response_format.json_schema.name",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"metadata\":{\"k\":1}} | metadata.k",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png,x\"}}]}]} | messages[0].content[0].image_url.url",
      "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":{}}}]}]} | messages[0].tool_calls[0].function.arguments",
  })
  void invalidField(String body, String param) {
    GatewayException e = failure(body);
    assertThat(e).as("refused").isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(e.param()).isEqualTo(param);
    assertThat(e.getMessage()).contains("'" + param + "'");
  }

  @Test
  @DisplayName("n may ask for up to 128 choices, OpenAI's maximum")
  void mostChoices() {
    assertThat(parse("{\"model\":\"m\"," + HELLO + ",\"n\":" + ChatRequestParser.MAX_CHOICES + "}").n())
        .isEqualTo(128);
  }
}
