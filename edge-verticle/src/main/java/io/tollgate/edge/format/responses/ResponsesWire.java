package io.tollgate.edge.format.responses;

import io.tollgate.api.chat.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The Responses API's wire shapes: the response object, its usage, and named SSE events. */
final class ResponsesWire {

  private ResponsesWire() {
  }

  /** {@code event: <type>} and {@code data: {"type", "sequence_number", ...}}, as OpenAI streams them. */
  static Buffer sse(String type, long sequence, JsonObject fields) {
    // Written by hand around the fields' own encoding: copying them into a new object per event
    // cost more than the rest of the event.
    Buffer out = Buffer.buffer(128).appendString("event: ").appendString(type)
        .appendString("\ndata: {\"type\":\"").appendString(type).appendString("\",\"sequence_number\":")
        .appendString(Long.toString(sequence));
    Buffer rest = fields.toBuffer();
    if (rest.length() > 2) {
      out.appendString(",").appendBuffer(rest, 1, rest.length() - 1);
    } else {
      out.appendString("}");
    }
    return out.appendString("\n\n");
  }

  /**
   * The response object. Request fields the client did not set are echoed with OpenAI's defaults
   * (the SDKs read several of them as required).
   */
  static JsonObject response(String id, long createdAt, ResponsesRequest request, String status, JsonArray output,
                             Usage usage) {
    JsonObject echo = request.echo();
    JsonObject r = new JsonObject()
        .put("id", id)
        .put("object", "response")
        .put("created_at", createdAt)
        .put("status", status)
        .put("background", false)
        .putNull("error")
        .putNull("incomplete_details")
        .put("instructions", request.instructions())
        .put("max_output_tokens", echo.getValue("max_output_tokens"))
        .put("model", request.chat().model())
        .put("output", output)
        .put("parallel_tool_calls", echo.getValue("parallel_tool_calls", true))
        .put("previous_response_id", request.previousResponseId())
        .put("reasoning", echo.getValue("reasoning", new JsonObject().putNull("effort").putNull("summary")))
        .put("store", request.store())
        .put("temperature", echo.getValue("temperature", 1.0))
        .put("text", echo.getValue("text", new JsonObject().put("format", new JsonObject().put("type", "text"))))
        .put("tool_choice", echo.getValue("tool_choice", "auto"))
        .put("tools", echo.getValue("tools", new JsonArray()))
        .put("top_p", echo.getValue("top_p", 1.0))
        .put("truncation", echo.getValue("truncation", "disabled"))
        .put("usage", usage == null ? null : usage(usage))
        .put("user", echo.getValue("user"))
        .put("metadata", echo.getValue("metadata", new JsonObject()));
    return r;
  }

  /** OpenAI semantics, like the canonical usage: input_tokens include the cached ones. */
  static JsonObject usage(Usage u) {
    return new JsonObject()
        .put("input_tokens", u.promptTokens())
        .put("input_tokens_details", new JsonObject().put("cached_tokens", u.cachedTokens()))
        .put("output_tokens", u.completionTokens())
        .put("output_tokens_details", new JsonObject().put("reasoning_tokens", u.reasoningTokens()))
        .put("total_tokens", u.totalTokens());
  }
}
