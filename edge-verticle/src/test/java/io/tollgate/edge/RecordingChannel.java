package io.tollgate.edge;

import io.tollgate.api.GatewayException;
import io.tollgate.api.bus.Attempt;
import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A client response that records what the exchange did to it, for driving {@link Exchange} directly. */
final class RecordingChannel implements ClientChannel {

  final Map<String, String> headers = new LinkedHashMap<>();
  final StringBuilder body = new StringBuilder();
  boolean streamStarted;
  boolean ended;
  boolean closedByClient;
  boolean wasReset;
  boolean queueFull;
  String json;
  GatewayException failure;
  List<Attempt> failureAttempts;
  Runnable drain;

  @Override
  public boolean headWritten() {
    return streamStarted || ended;
  }

  @Override
  public boolean finished() {
    return ended || closedByClient || wasReset;
  }

  @Override
  public void putHeader(String name, String value) {
    headers.put(name, value);
  }

  @Override
  public void startEventStream() {
    streamStarted = true;
  }

  @Override
  public void write(Buffer data) {
    if (finished()) {
      throw new IllegalStateException("write after end");
    }
    body.append(data);
  }

  @Override
  public void end(Buffer data) {
    write(data);
    ended = true;
  }

  @Override
  public void endJson(Buffer body) {
    if (finished()) {
      throw new IllegalStateException("end after end");
    }
    json = body.toString();
    ended = true;
  }

  @Override
  public void fail(GatewayException error, List<Attempt> attempts) {
    if (finished() || failure != null) {
      throw new IllegalStateException("failed twice or after end");
    }
    failure = error;
    failureAttempts = attempts;
    ended = true;
  }

  @Override
  public boolean writeQueueFull() {
    return queueFull;
  }

  @Override
  public void onDrain(Runnable action) {
    drain = action;
  }

  @Override
  public void reset() {
    wasReset = true;
  }

  /** The text of every content delta written as SSE, in order. */
  String streamedText() {
    StringBuilder out = new StringBuilder();
    for (String line : body.toString().split("\n")) {
      if (line.startsWith("data: {")) {
        var event = new io.vertx.core.json.JsonObject(line.substring(6));
        var choices = event.getJsonArray("choices");
        if (choices != null) {
          for (int i = 0; i < choices.size(); i++) {
            String content = choices.getJsonObject(i).getJsonObject("delta").getString("content");
            out.append(content == null ? "" : content);
          }
        }
      }
    }
    return out.toString();
  }
}
