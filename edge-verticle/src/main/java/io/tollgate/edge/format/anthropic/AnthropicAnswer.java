package io.tollgate.edge.format.anthropic;

import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.edge.format.AnswerWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One answer as Anthropic's event stream ({@code message_start}, {@code ping}, content blocks,
 * {@code message_delta} with the stop reason and the final usage, {@code message_stop}) or as
 * one {@code message}. Upstreams report usage at the end, so {@code message_start} carries the
 * gateway's prompt estimate and {@code message_delta} the real counts (Anthropic's SDKs take the
 * counts of {@code message_delta} over those of {@code message_start}).
 */
final class AnthropicAnswer implements AnswerWriter {

  private final String id;
  private final ChatRequest chat;
  private final long inputEstimate;
  private StreamSink stream;
  private ContentBlocks blocks;
  private MessageSink message;

  AnthropicAnswer(String id, ChatRequest chat) {
    this.id = id;
    this.chat = chat;
    this.inputEstimate = chat.estimatedPromptTokens();
  }

  @Override
  public String responseId() {
    return id;
  }

  @Override
  public Buffer streamStart() {
    Buffer out = Buffer.buffer(512);
    AnthropicWire.event(out, "message_start", new JsonObject().put("type", "message_start")
        .put("message", head(new JsonArray(), null, null, AnthropicWire.usage(inputEstimate, 0, 0, 0))));
    AnthropicWire.event(out, "ping", new JsonObject().put("type", "ping"));
    return out;
  }

  @Override
  public Buffer streamEvents(List<List<ChoiceDelta>> events) {
    if (stream == null) {
      stream = new StreamSink();
      blocks = new ContentBlocks(stream);
    }
    stream.out = Buffer.buffer(256);
    for (List<ChoiceDelta> event : events) {
      blocks.add(event);
    }
    return stream.out;
  }

  @Override
  public Buffer streamEnd(Usage usage) {
    if (stream == null) {
      stream = new StreamSink();
      blocks = new ContentBlocks(stream);
    }
    Buffer out = Buffer.buffer(256);
    stream.out = out;
    blocks.finish();
    AnthropicWire.event(out, "message_delta", new JsonObject().put("type", "message_delta")
        .put("delta", new JsonObject().put("stop_reason", blocks.stopReason()).put("stop_sequence", blocks.stopSequence()))
        .put("usage", AnthropicWire.usage(usage, inputEstimate)));
    AnthropicWire.event(out, "message_stop", new JsonObject().put("type", "message_stop"));
    return out;
  }

  @Override
  public void add(List<ChoiceDelta> event) {
    if (message == null) {
      message = new MessageSink();
      blocks = new ContentBlocks(message);
    }
    blocks.add(event);
  }

  @Override
  public Buffer whole(Usage usage) {
    if (message == null) {
      message = new MessageSink();
      blocks = new ContentBlocks(message);
    }
    blocks.finish();
    return head(message.content(), blocks.stopReason(), blocks.stopSequence(),
        AnthropicWire.usage(usage, inputEstimate)).toBuffer();
  }

  /** The message object: {@code message_start}'s (empty, no stop reason yet) or the whole answer. */
  private JsonObject head(JsonArray content, String stopReason, String stopSequence, JsonObject usage) {
    return new JsonObject().put("id", id).put("type", "message").put("role", "assistant").put("model", chat.model())
        .put("content", content).put("stop_reason", stopReason).put("stop_sequence", stopSequence)
        .put("usage", usage);
  }

  /** Blocks as {@code content_block_start/delta/stop} events into the current write. */
  private static final class StreamSink implements ContentBlocks.Sink {
    Buffer out;

    @Override
    public void start(int index, JsonObject block) {
      AnthropicWire.event(out, "content_block_start", new JsonObject().put("type", "content_block_start")
          .put("index", index).put("content_block", block));
    }

    @Override
    public void delta(int index, JsonObject delta) {
      AnthropicWire.event(out, "content_block_delta", new JsonObject().put("type", "content_block_delta")
          .put("index", index).put("delta", delta));
    }

    @Override
    public void stop(int index) {
      AnthropicWire.event(out, "content_block_stop", new JsonObject().put("type", "content_block_stop")
          .put("index", index));
    }
  }
}
