package io.tollgate.edge.format.openai;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.Redact;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.ToolCallDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.ModelConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The OpenAI wire shapes the edge writes: chunks, completions, the model list and the error envelope. */
public final class OpenAiFormat {

  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  private OpenAiFormat() {
  }

  static Buffer sse(JsonObject event) {
    return Buffer.buffer("data: ").appendBuffer(event.toBuffer()).appendString("\n\n");
  }

  static Buffer done() {
    return DONE.copy();
  }

  static JsonObject chunk(String id, long created, String model, List<ChoiceDelta> choices, boolean usageField) {
    JsonArray out = new JsonArray();
    for (ChoiceDelta c : choices) {
      JsonObject delta = new JsonObject();
      if (c.role() != null) {
        delta.put("role", c.role());
      }
      if (c.content() != null) {
        delta.put("content", c.content());
      }
      if (c.reasoning() != null && c.reasoning().text() != null) {
        // The field DeepSeek, vLLM and OpenRouter use; OpenAI's own chat API does not stream reasoning.
        delta.put("reasoning_content", c.reasoning().text());
      }
      if (c.toolCalls() != null) {
        JsonArray calls = new JsonArray();
        for (ToolCallDelta t : c.toolCalls()) {
          calls.add(toolCallDelta(t));
        }
        delta.put("tool_calls", calls);
      }
      out.add(new JsonObject().put("index", c.index()).put("delta", delta).putNull("logprobs")
          .put("finish_reason", c.finishReason() == null ? null : c.finishReason().openAi()));
    }
    JsonObject chunk = head(id, "chat.completion.chunk", created, model).put("choices", out);
    if (usageField) {
      chunk.putNull("usage");
    }
    return chunk;
  }

  /** The id, type and name only on a call's first piece, as OpenAI streams them. */
  static JsonObject toolCallDelta(ToolCallDelta t) {
    JsonObject call = new JsonObject().put("index", t.index());
    if (t.id() != null) {
      call.put("id", t.id()).put("type", "function");
    }
    JsonObject fn = new JsonObject();
    if (t.name() != null) {
      fn.put("name", t.name());
    }
    fn.put("arguments", t.arguments() == null ? "" : t.arguments());
    return call.put("function", fn);
  }

  static JsonObject usageChunk(String id, long created, String model, Usage usage) {
    return head(id, "chat.completion.chunk", created, model).put("choices", new JsonArray()).put("usage", usage(usage));
  }

  static JsonObject completion(String id, long created, String model, JsonArray choices, Usage usage) {
    return head(id, "chat.completion", created, model).put("choices", choices).put("usage", usage(usage));
  }

  static JsonObject usage(Usage u) {
    return new JsonObject()
        .put("prompt_tokens", u.promptTokens())
        .put("completion_tokens", u.completionTokens())
        .put("total_tokens", u.totalTokens())
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", u.cachedTokens()))
        .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", u.reasoningTokens()));
  }

  public static JsonObject models(List<ModelConfig> models) {
    JsonArray data = new JsonArray();
    for (ModelConfig m : models) {
      data.add(model(m.name()));
      for (String alias : m.aliases()) {
        data.add(model(alias));
      }
    }
    return new JsonObject().put("object", "list").put("data", data);
  }

  public static JsonObject model(String name) {
    return new JsonObject().put("id", name).put("object", "model").put("created", 0).put("owned_by", "tollgate");
  }

  /**
   * {@code {"error":{"message","type","code","param"}}}, plus the failover trace when there was one.
   * The trace names deployments, codes and times only: an attempt's message may quote the upstream
   * (its hosts, ports, words), which belongs in the logs, not in an answer to an API client.
   * Credentials are removed from the message as a last line of defence.
   */
  public static JsonObject error(GatewayException e, List<Attempt> attempts) {
    ErrorCode code = e.code();
    JsonObject error = new JsonObject()
        .put("message", Redact.secrets(e.getMessage()))
        .put("type", code.type())
        .put("code", code.code())
        .put("param", e.param());
    if (attempts != null && !attempts.isEmpty()) {
      JsonArray trace = new JsonArray();
      for (Attempt a : attempts) {
        trace.add(new JsonObject().put("deployment", a.deploymentId())
            .put("code", a.error() == null ? null : a.error().code()).put("ms", a.millis()));
      }
      error.put("attempts", trace);
    }
    return new JsonObject().put("error", error);
  }

  private static JsonObject head(String id, String object, long created, String model) {
    return new JsonObject().put("id", id).put("object", object).put("created", created).put("model", model)
        .putNull("system_fingerprint");
  }
}
