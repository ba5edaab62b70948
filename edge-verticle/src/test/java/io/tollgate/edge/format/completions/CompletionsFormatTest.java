package io.tollgate.edge.format.completions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.Usage;
import io.tollgate.edge.format.AnswerWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Legacy completions at the edge: the body read into a typed request, answers written as text_completion")
class CompletionsFormatTest {

  private static CompletionsFormat.Parsed parse(String json) {
    return CompletionsFormat.parse(Buffer.buffer(json));
  }

  private static String paramOf(String json) {
    try {
      parse(json);
      throw new AssertionError("accepted " + json);
    } catch (GatewayException e) {
      return e.param();
    }
  }

  @Test
  @DisplayName("prompts as text or token arrays, include_usage, the rest kept for the upstream")
  void parses() {
    CompletionsFormat.Parsed p = parse("""
        {"model":"m","prompt":["a","b"],"stream":true,"stream_options":{"include_usage":true},"n":2,
         "max_tokens":5,"stop":"\\n","seed":7,"echo":true}""");
    assertThat(p.request().prompts()).containsExactly("a", "b");
    assertThat(p.request().n()).isEqualTo(2);
    assertThat(p.request().stop()).containsExactly("\n");
    assertThat(p.request().echo()).isTrue();
    assertThat(p.request().extra()).containsOnlyKeys("seed");
    assertThat(p.includeUsage()).isTrue();
    assertThat(parse("{\"model\":\"m\",\"prompt\":[[1,2],[3]]}").request().tokenPrompts())
        .containsExactly(List.of(1, 2), List.of(3));
    assertThat(parse("{\"model\":\"m\",\"prompt\":[5,6]}").request().tokenPrompts()).containsExactly(List.of(5, 6));
  }

  @Test
  @DisplayName("bad input is a 400 naming the field")
  void refuses() {
    assertThat(paramOf("{\"model\":\"m\"}")).isEqualTo("prompt");
    assertThat(paramOf("{\"model\":\"m\",\"prompt\":[]}")).isEqualTo("prompt");
    assertThat(paramOf("{\"model\":\"m\",\"prompt\":[\"a\",[1]]}")).isEqualTo("prompt[1]");
    assertThat(paramOf("{\"model\":\"m\",\"prompt\":[[1,-1]]}")).isEqualTo("prompt[0][1]");
    assertThat(paramOf("{\"model\":\"m\",\"prompt\":\"a\",\"stream_options\":{\"include_usage\":true}}"))
        .isEqualTo("stream_options");
    assertThat(paramOf("{\"model\":\"m\",\"prompt\":\"a\",\"logprobs\":1}")).isEqualTo("logprobs");
    assertThat(paramOf("{\"model\":\"m\",\"prompt\":\"a\",\"n\":129}")).isEqualTo("n");
    assertThat(paramOf("{\"model\":\"m\",\"prompt\":\"a\",\"stop\":[\"1\",\"2\",\"3\",\"4\",\"5\"]}")).isEqualTo("stop");
    assertThat(paramOf("{\"model\":\"m\",\"prompt\":\"a\",\"temperature\":3}")).isEqualTo("temperature");
  }

  @Test
  @DisplayName("a stream: text chunks, then the usage chunk when asked for, then [DONE]")
  void stream() {
    AnswerWriter w = CompletionsFormat.answer("r1", parse("""
        {"model":"m","prompt":"a","stream":true,"stream_options":{"include_usage":true}}"""));
    String events = w.streamEvents(List.of(List.of(ChoiceDelta.text(0, "Hi")),
        List.of(ChoiceDelta.finish(0, FinishReason.LENGTH)))).toString();
    String end = w.streamEnd(new Usage(3, 2, 0, 0, false)).toString();
    String[] lines = (events + end).split("\n\n");
    JsonObject first = new JsonObject(lines[0].substring("data: ".length()));
    assertThat(first.getString("object")).isEqualTo("text_completion");
    assertThat(first.getString("id")).isEqualTo("cmpl-r1");
    assertThat(first.getJsonArray("choices").getJsonObject(0).getString("text")).isEqualTo("Hi");
    assertThat(new JsonObject(lines[1].substring(6)).getJsonArray("choices").getJsonObject(0)
        .getString("finish_reason")).isEqualTo("length");
    assertThat(new JsonObject(lines[2].substring(6)).getJsonObject("usage").getLong("total_tokens")).isEqualTo(5);
    assertThat(lines[3]).isEqualTo("data: [DONE]");
  }

  @Test
  @DisplayName("whole: each choice's pieces joined, by index, with its finish reason and the usage")
  void whole() {
    AnswerWriter w = CompletionsFormat.answer("r2", parse("{\"model\":\"m\",\"prompt\":[\"a\",\"b\"]}"));
    w.add(List.of(ChoiceDelta.text(1, "B1"), ChoiceDelta.text(0, "A1")));
    w.add(List.of(ChoiceDelta.text(0, "A2"), new ChoiceDelta(1, null, "B2", null, FinishReason.STOP)));
    w.add(List.of(ChoiceDelta.finish(0, FinishReason.LENGTH)));
    JsonObject answer = w.whole(new Usage(4, 4, 0, 0, false)).toJsonObject();
    assertThat(answer.getJsonArray("choices").getJsonObject(0).getString("text")).isEqualTo("A1A2");
    assertThat(answer.getJsonArray("choices").getJsonObject(0).getString("finish_reason")).isEqualTo("length");
    assertThat(answer.getJsonArray("choices").getJsonObject(1).getString("text")).isEqualTo("B1B2");
    assertThat(answer.getJsonObject("usage").getLong("completion_tokens")).isEqualTo(4);
  }

  @Test
  @DisplayName("a stream without include_usage ends with [DONE] only")
  void noUsage() {
    AnswerWriter w = CompletionsFormat.answer("r3", parse("{\"model\":\"m\",\"prompt\":\"a\",\"stream\":true}"));
    assertThat(w.streamEnd(new Usage(1, 1, 0, 0, false)).toString()).isEqualTo("data: [DONE]\n\n");
    assertThatThrownBy(() -> parse("{\"model\":\"m\",\"prompt\":\"a\",\"echo\":1}")).isInstanceOf(GatewayException.class);
  }
}
