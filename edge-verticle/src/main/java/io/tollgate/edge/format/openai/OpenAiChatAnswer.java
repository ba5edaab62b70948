package io.tollgate.edge.format.openai;

import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.edge.format.AnswerWriter;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/** One answer as {@code chat.completion.chunk} events ending in {@code [DONE]}, or one {@code chat.completion}. */
final class OpenAiChatAnswer implements AnswerWriter {

  private final String id;
  private final long created = System.currentTimeMillis() / 1000;
  private final ChatRequest chat;
  private CompletionAggregator aggregator;

  OpenAiChatAnswer(String id, ChatRequest chat) {
    this.id = id;
    this.chat = chat;
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
      out.appendBuffer(OpenAiFormat.sse(OpenAiFormat.chunk(id, created, chat.model(), event, chat.includeUsage())));
    }
    return out;
  }

  @Override
  public Buffer streamEnd(Usage usage) {
    Buffer out = Buffer.buffer();
    if (chat.includeUsage() && usage != null) {
      out.appendBuffer(OpenAiFormat.sse(OpenAiFormat.usageChunk(id, created, chat.model(), usage)));
    }
    return out.appendBuffer(OpenAiFormat.done());
  }

  @Override
  public void add(List<ChoiceDelta> event) {
    if (aggregator == null) {
      aggregator = new CompletionAggregator();
    }
    aggregator.add(event);
  }

  @Override
  public Buffer whole(Usage usage) {
    if (aggregator == null) {
      aggregator = new CompletionAggregator();
    }
    return OpenAiFormat.completion(id, created, chat.model(), aggregator.choices(), usage).toBuffer();
  }
}
