package io.tollgate.edge.format.responses;

import io.tollgate.api.GatewayException;
import io.tollgate.api.Redact;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.Usage;
import io.tollgate.edge.format.AnswerWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;

/**
 * One answer as a Responses event stream ({@code response.created}, {@code response.in_progress},
 * the items' events, then {@code response.completed} or {@code response.incomplete} with the whole
 * response and its usage), or as one response object. The finished response goes to
 * {@code onFinished} (storage, when the client asked for it).
 */
final class ResponsesAnswer implements AnswerWriter {

  private final String id;
  private final long createdAt = System.currentTimeMillis() / 1000;
  private final ResponsesRequest request;
  private final Consumer<JsonObject> onFinished;
  private final ResponsesOutput output;
  private Buffer pending = Buffer.buffer();
  private long sequence;

  ResponsesAnswer(String id, String itemPrefix, ResponsesRequest request, Consumer<JsonObject> onFinished) {
    this.id = id;
    this.request = request;
    this.onFinished = onFinished;
    this.output = new ResponsesOutput(itemPrefix, request.chat().stream() ? this::emit : null);
  }

  @Override
  public String responseId() {
    return id;
  }

  @Override
  public Buffer streamStart() {
    JsonObject started = response("in_progress", new JsonArray(), null);
    emit("response.created", new JsonObject().put("response", started));
    emit("response.in_progress", new JsonObject().put("response", started));
    return take();
  }

  @Override
  public Buffer streamEvents(List<List<ChoiceDelta>> events) {
    for (List<ChoiceDelta> event : events) {
      output.add(event);
    }
    return take();
  }

  @Override
  public Buffer streamEnd(Usage usage) {
    JsonObject done = finished(usage);
    emit("incomplete".equals(done.getString("status")) ? "response.incomplete" : "response.completed",
        new JsonObject().put("response", done));
    return take();
  }

  @Override
  public void add(List<ChoiceDelta> event) {
    output.add(event);
  }

  @Override
  public Buffer whole(Usage usage) {
    return finished(usage).toBuffer();
  }

  /** {@code response.failed}: the stream's last event when the upstream fails after the head went out. */
  Buffer failed(GatewayException error) {
    JsonObject failed = response("failed", output.abandon(), null)
        .put("error", new JsonObject().put("code", error.code().code()).put("message", Redact.secrets(error.getMessage())));
    emit("response.failed", new JsonObject().put("response", failed));
    return take();
  }

  private JsonObject finished(Usage usage) {
    JsonArray items = output.finish();
    FinishReason reason = output.finishReason();
    String incomplete = reason == FinishReason.LENGTH ? "max_output_tokens"
        : reason == FinishReason.CONTENT_FILTER ? "content_filter" : null;
    JsonObject done = response(incomplete == null ? "completed" : "incomplete", items, usage == null ? Usage.ZERO : usage);
    if (incomplete != null) {
      done.put("incomplete_details", new JsonObject().put("reason", incomplete));
    }
    onFinished.accept(done);
    return done;
  }

  private JsonObject response(String status, JsonArray items, Usage usage) {
    return ResponsesWire.response(id, createdAt, request, status, items, usage);
  }

  private void emit(String type, JsonObject fields) {
    pending.appendBuffer(ResponsesWire.sse(type, sequence++, fields));
  }

  private Buffer take() {
    Buffer out = pending;
    pending = Buffer.buffer();
    return out;
  }
}
