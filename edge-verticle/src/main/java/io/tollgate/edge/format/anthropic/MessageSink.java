package io.tollgate.edge.format.anthropic;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds content-block events into the {@code content} of one Anthropic message: text and
 * thinking appended, the signature set, a tool call's argument pieces joined and parsed into its
 * {@code input} object (Anthropic's input is an object, never a string).
 */
final class MessageSink implements ContentBlocks.Sink {

  private final List<JsonObject> blocks = new ArrayList<>();
  private final List<StringBuilder> texts = new ArrayList<>();

  @Override
  public void start(int index, JsonObject block) {
    blocks.add(block);
    texts.add(new StringBuilder());
  }

  @Override
  public void delta(int index, JsonObject delta) {
    StringBuilder text = texts.get(index);
    switch (delta.getString("type")) {
      case "text_delta" -> text.append(delta.getString("text"));
      case "thinking_delta" -> text.append(delta.getString("thinking"));
      case "input_json_delta" -> text.append(delta.getString("partial_json"));
      case "signature_delta" -> blocks.get(index).put("signature", delta.getString("signature"));
      default -> throw new IllegalStateException("unknown delta " + delta.getString("type"));
    }
  }

  @Override
  public void stop(int index) {
    // Folded in content(): late argument pieces of an interleaved call may still come.
  }

  JsonArray content() {
    JsonArray out = new JsonArray();
    for (int i = 0; i < blocks.size(); i++) {
      JsonObject block = blocks.get(i);
      String text = texts.get(i).toString();
      switch (block.getString("type")) {
        case "text" -> block.put("text", text);
        case "thinking" -> block.put("thinking", text);
        case "tool_use" -> block.put("input", input(text));
        default -> { }
      }
      out.add(block);
    }
    return out;
  }

  /**
   * The joined arguments as an object. Arguments that are not a JSON object (a call cut off by
   * the token limit) give an empty input: the stop reason {@code max_tokens} tells the client why.
   */
  private static JsonObject input(String arguments) {
    if (arguments.isBlank()) {
      return new JsonObject();
    }
    try {
      return Json.decodeValue(arguments) instanceof JsonObject o ? o : new JsonObject();
    } catch (DecodeException notJson) {
      return new JsonObject();
    }
  }
}
