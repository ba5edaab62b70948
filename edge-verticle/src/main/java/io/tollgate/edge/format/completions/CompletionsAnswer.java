package io.tollgate.edge.format.completions;

import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.ops.CompletionRequest;
import io.tollgate.edge.format.AnswerWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One legacy completion as {@code text_completion} events ending in {@code [DONE]} (a last
 * usage-only chunk first when {@code stream_options.include_usage} asked for it), or one
 * {@code text_completion} object. Each choice delta's content is text; roles are not part of
 * this API.
 */
final class CompletionsAnswer implements AnswerWriter {

  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  private final String id;
  private final long created = System.currentTimeMillis() / 1000;
  private final CompletionRequest request;
  private final boolean includeUsage;
  private final Map<Integer, StringBuilder> texts = new TreeMap<>();
  private final Map<Integer, FinishReason> finishes = new TreeMap<>();

  CompletionsAnswer(String requestId, CompletionRequest request, boolean includeUsage) {
    this.id = "cmpl-" + requestId;
    this.request = request;
    this.includeUsage = includeUsage;
  }

  @Override
  public String responseId() {
    return id;
  }

  @Override
  public Buffer streamStart() {
    return Buffer.buffer();
  }

  @Override
  public Buffer streamEvents(List<List<ChoiceDelta>> events) {
    Buffer out = Buffer.buffer();
    for (List<ChoiceDelta> event : events) {
      JsonArray choices = new JsonArray();
      for (ChoiceDelta d : event) {
        if (d.content() != null || d.finishReason() != null) {
          choices.add(choice(d.index(), d.content() == null ? "" : d.content(), d.finishReason()));
        }
      }
      if (!choices.isEmpty()) {
        JsonObject chunk = head().put("choices", choices);
        if (includeUsage) {
          chunk.putNull("usage");
        }
        sse(out, chunk);
      }
    }
    return out;
  }

  @Override
  public Buffer streamEnd(Usage usage) {
    Buffer out = Buffer.buffer();
    if (includeUsage && usage != null) {
      sse(out, head().put("choices", new JsonArray()).put("usage", usage(usage)));
    }
    return out.appendBuffer(DONE.copy());
  }

  @Override
  public void add(List<ChoiceDelta> event) {
    for (ChoiceDelta d : event) {
      StringBuilder text = texts.computeIfAbsent(d.index(), i -> new StringBuilder());
      if (d.content() != null) {
        text.append(d.content());
      }
      if (d.finishReason() != null) {
        finishes.put(d.index(), d.finishReason());
      }
    }
  }

  @Override
  public Buffer whole(Usage usage) {
    if (texts.isEmpty()) {
      texts.put(0, new StringBuilder());
    }
    JsonArray choices = new JsonArray();
    texts.forEach((index, text) -> {
      FinishReason f = finishes.get(index);
      choices.add(choice(index, text.toString(), f == null ? FinishReason.STOP : f));
    });
    return head().put("choices", choices).put("usage", usage(usage == null ? Usage.ZERO : usage)).toBuffer();
  }

  private static JsonObject choice(int index, String text, FinishReason finish) {
    return new JsonObject().put("text", text).put("index", index).putNull("logprobs")
        .put("finish_reason", finish == null ? null : finish.openAi());
  }

  private JsonObject head() {
    return new JsonObject().put("id", id).put("object", "text_completion").put("created", created)
        .put("model", request.model()).putNull("system_fingerprint");
  }

  private static JsonObject usage(Usage u) {
    return new JsonObject().put("prompt_tokens", u.promptTokens()).put("completion_tokens", u.completionTokens())
        .put("total_tokens", u.totalTokens());
  }

  private static void sse(Buffer out, JsonObject event) {
    out.appendString("data: ").appendBuffer(event.toBuffer()).appendString("\n\n");
  }
}
