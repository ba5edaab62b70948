package io.tollgate.connector.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Gemini request mapping from the canonical chat request")
class GeminiRequestMapperTest {

  private static final RawJson WEATHER_SCHEMA = RawJson.of("""
      {"$schema":"http://json-schema.org/draft-07/schema#","type":"object","additionalProperties":false,
       "properties":{"location":{"type":"string","description":"City"},
                     "unit":{"type":["string","null"],"enum":["c","f"]},
                     "additionalProperties":{"type":"boolean"},
                     "tags":{"type":"array","items":{"type":"object","additionalProperties":false,
                             "properties":{"k":{"const":"x"}}}}},
       "required":["location"]}""");

  private static ChatRequest.Builder chat(ChatMessage... messages) {
    return ChatRequest.builder("gemini-test", List.of(messages));
  }

  @Test
  @DisplayName("system and developer messages become systemInstruction; user and assistant turns are user and model")
  void rolesAndSystemInstruction() {
    JsonObject body = GeminiRequestMapper.toJson(chat(
        ChatMessage.of(Role.SYSTEM, "You are terse."),
        ChatMessage.of(Role.USER, "Hi"),
        ChatMessage.of(Role.ASSISTANT, "Hello."),
        ChatMessage.of(Role.DEVELOPER, "Answer in French."),
        ChatMessage.of(Role.USER, "Bye")).build());

    assertThat(body).isEqualTo(new JsonObject("""
        {"contents":[
           {"role":"user","parts":[{"text":"Hi"}]},
           {"role":"model","parts":[{"text":"Hello."}]},
           {"role":"user","parts":[{"text":"Bye"}]}],
         "systemInstruction":{"parts":[{"text":"You are terse."},{"text":"Answer in French."}]}}"""));
  }

  @Test
  @DisplayName("inline images are inlineData, image URLs fileData with the MIME type of the request or the file name")
  void images() {
    JsonObject body = GeminiRequestMapper.toJson(chat(new ChatMessage(Role.USER, List.of(
        new ContentPart.Text("What is in these?"),
        new ContentPart.Image(null, "image/png", "iVBORw0KGgo=", "high", null),
        new ContentPart.Image("https://example.com/cat.JPG?size=large", null, null, null, null),
        new ContentPart.Image("https://example.com/render", "image/webp", null, null, null),
        new ContentPart.Image("https://example.com/unknown", null, null, null, null)), null)).build());

    assertThat(body.getJsonArray("contents").getJsonObject(0).getJsonArray("parts")).isEqualTo(new JsonObject("""
        {"p":[{"text":"What is in these?"},
              {"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}},
              {"fileData":{"mimeType":"image/jpeg","fileUri":"https://example.com/cat.JPG?size=large"}},
              {"fileData":{"mimeType":"image/webp","fileUri":"https://example.com/render"}},
              {"fileData":{"fileUri":"https://example.com/unknown"}}]}""").getJsonArray("p"));
  }

  @Test
  @DisplayName("tool calls are functionCall parts (an empty text beside them dropped); consecutive tool results one user turn of functionResponse parts named after their calls")
  void toolRoundTrip() {
    JsonObject body = GeminiRequestMapper.toJson(chat(
        ChatMessage.of(Role.USER, "Weather in Paris and London?"),
        new ChatMessage(Role.ASSISTANT, List.of(new ContentPart.Text(""),
            new ContentPart.ToolUse("call_1", "get_weather", RawJson.of("{\"location\":\"Paris\"}"), null),
            new ContentPart.ToolUse("call_2", "get_time", RawJson.of("{\"city\":\"London\"}"), null)), null),
        new ChatMessage(Role.TOOL, List.of(new ContentPart.ToolResult("call_2",
            List.of(new ContentPart.Text("14:05")), false, null)), null),
        new ChatMessage(Role.TOOL, List.of(new ContentPart.ToolResult("call_1",
            List.of(new ContentPart.Text("{\"temp_c\": 21}")), false, null)), null),
        new ChatMessage(Role.TOOL, List.of(new ContentPart.ToolResult("call_1",
            List.of(new ContentPart.Text("timeout")), true, null)), null),
        ChatMessage.of(Role.USER, "Thanks")).build());

    assertThat(body.getJsonArray("contents")).isEqualTo(new JsonObject("""
        {"c":[
          {"role":"user","parts":[{"text":"Weather in Paris and London?"}]},
          {"role":"model","parts":[
            {"functionCall":{"name":"get_weather","args":{"location":"Paris"}}},
            {"functionCall":{"name":"get_time","args":{"city":"London"}}}]},
          {"role":"user","parts":[
            {"functionResponse":{"name":"get_time","response":{"output":"14:05"}}},
            {"functionResponse":{"name":"get_weather","response":{"temp_c":21}}},
            {"functionResponse":{"name":"get_weather","response":{"error":"timeout"}}}]},
          {"role":"user","parts":[{"text":"Thanks"}]}]}""").getJsonArray("c"));
  }

  @Test
  @DisplayName("a tool result answering no earlier call is a 400 that says Gemini needs the function's name")
  void orphanToolResult() {
    ChatRequest request = chat(ChatMessage.of(Role.USER, "Hi"),
        new ChatMessage(Role.TOOL, List.of(new ContentPart.ToolResult("call_x", List.of(new ContentPart.Text("1")),
            false, null)), null)).build();

    assertThatThrownBy(() -> GeminiRequestMapper.toJson(request)).isInstanceOfSatisfying(GatewayException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
      assertThat(e.getMessage()).contains("call_x").contains("function's name");
    });
  }

  @Test
  @DisplayName("function declarations carry cleaned schemas: keywords Gemini refuses dropped, property names kept")
  void functionDeclarations() {
    JsonObject body = GeminiRequestMapper.toJson(chat(ChatMessage.of(Role.USER, "Hi"))
        .tools(List.of(Tool.function("get_weather", "Current weather", WEATHER_SCHEMA),
            Tool.function("now", null, RawJson.of("{\"type\":\"object\",\"properties\":{}}"))))
        .toolChoice(ToolChoice.AUTO).build());

    assertThat(body.getJsonArray("tools")).isEqualTo(new JsonObject("""
        {"t":[{"functionDeclarations":[
          {"name":"get_weather","description":"Current weather","parameters":{"type":"object",
            "properties":{"location":{"type":"string","description":"City"},
                          "unit":{"nullable":true,"type":"string","enum":["c","f"]},
                          "additionalProperties":{"type":"boolean"},
                          "tags":{"type":"array","items":{"type":"object","properties":{"k":{"enum":["x"]}}}}},
            "required":["location"]}},
          {"name":"now"}]}]}""").getJsonArray("t"));
    assertThat(body.getJsonObject("toolConfig")).isEqualTo(new JsonObject("{\"functionCallingConfig\":{\"mode\":\"AUTO\"}}"));
  }

  @Test
  @DisplayName("tool choice none, required and named are modes NONE, ANY and ANY with allowedFunctionNames")
  void toolChoices() {
    assertThat(GeminiRequestMapper.functionCalling(ToolChoice.NONE)).isEqualTo(new JsonObject().put("mode", "NONE"));
    assertThat(GeminiRequestMapper.functionCalling(ToolChoice.REQUIRED)).isEqualTo(new JsonObject().put("mode", "ANY"));
    assertThat(GeminiRequestMapper.functionCalling(ToolChoice.named("get_weather")))
        .isEqualTo(new JsonObject("{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"get_weather\"]}"));
  }

  @Test
  @DisplayName("sampling, limits, stop, candidates, JSON schema output, thinking budget and seed go to generationConfig")
  void generationConfig() {
    JsonObject body = GeminiRequestMapper.toJson(chat(ChatMessage.of(Role.USER, "Hi"))
        .temperature(0.3).topP(0.9).topK(40).maxCompletionTokens(256).stop(List.of("END"))
        .n(2).user("user-7").parallelToolCalls(false).metadata(Map.of("team", "a"))
        .responseFormat(new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "answer",
            RawJson.of("{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"a\":{\"type\":\"string\"}}}"),
            true))
        .reasoning(new ReasoningOptions(null, 2048, true))
        .extra(Map.of("seed", new RawJson("42"))).build());

    assertThat(body.getJsonObject("generationConfig")).isEqualTo(new JsonObject("""
        {"seed":42,"temperature":0.3,"topP":0.9,"topK":40,"maxOutputTokens":256,"stopSequences":["END"],
         "candidateCount":2,"responseMimeType":"application/json",
         "responseSchema":{"type":"object","properties":{"a":{"type":"string"}}},
         "thinkingConfig":{"includeThoughts":true,"thinkingBudget":2048}}"""));
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("contents", "generationConfig");
  }

  @Test
  @DisplayName("an effort is a thinking budget; thinking turned off is budget 0 without thoughts")
  void thinking() {
    assertThat(GeminiRequestMapper.thinkingConfig(new ReasoningOptions("low", null, true)))
        .isEqualTo(new JsonObject("{\"includeThoughts\":true,\"thinkingBudget\":1024}"));
    assertThat(GeminiRequestMapper.thinkingConfig(new ReasoningOptions(null, null, false)))
        .isEqualTo(new JsonObject("{\"thinkingBudget\":0}"));
    assertThat(GeminiRequestMapper.thinkingConfig(null)).isNull();
  }

  @Test
  @DisplayName("an OpenAI-only parameter without a Gemini field, or another dialect's part, is a 400 naming it")
  void untranslatable() {
    ChatRequest logprobs = chat(ChatMessage.of(Role.USER, "Hi")).extra(Map.of("logit_bias", RawJson.of("{}"))).build();
    assertThatThrownBy(() -> GeminiRequestMapper.toJson(logprobs)).isInstanceOfSatisfying(GatewayException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
      assertThat(e.param()).isEqualTo("logit_bias");
      assertThat(e.getMessage()).contains("gemini");
    });
    ChatRequest badArgs = chat(ChatMessage.of(Role.USER, "Hi"), new ChatMessage(Role.ASSISTANT,
        List.of(new ContentPart.ToolUse("c1", "f", RawJson.of("[1,2]"), null)), null)).build();
    assertThatThrownBy(() -> GeminiRequestMapper.toJson(badArgs)).isInstanceOfSatisfying(GatewayException.class,
        e -> assertThat(e.getMessage()).contains("not a JSON object"));
    ChatRequest audio = chat(new ChatMessage(Role.USER, List.of(new ContentPart.Opaque(Dialect.OPENAI_CHAT,
        "input_audio", RawJson.of("{}"))), null)).build();
    assertThatThrownBy(() -> GeminiRequestMapper.toJson(audio)).isInstanceOfSatisfying(GatewayException.class,
        e -> assertThat(e.getMessage()).contains("input_audio"));
  }
}
