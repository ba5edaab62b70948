package io.tollgate.edge.format.completions;

import io.tollgate.api.ops.CompletionRequest;
import io.tollgate.edge.format.AnswerWriter;
import io.vertx.core.buffer.Buffer;

/**
 * OpenAI's legacy {@code POST /v1/completions}: how its body is read into a
 * {@link CompletionRequest} and how the answer is written, streamed ({@code text_completion}
 * chunks, {@code [DONE]}) or whole. Keys, errors (OpenAI's envelope), limits, routing, the stream
 * relay, cancels and settlement are the chat path's own.
 */
public final class CompletionsFormat {

  public static final String PATH = "/v1/completions";

  /** A parsed body: the request for the upstream, and what only the answer needs. */
  public record Parsed(CompletionRequest request, boolean includeUsage) {
  }

  private CompletionsFormat() {
  }

  /** The body as a typed request; a 400 naming the field when it is not one. */
  public static Parsed parse(Buffer body) {
    return CompletionRequestParser.parse(body);
  }

  /** The writer of one answer. */
  public static AnswerWriter answer(String requestId, Parsed parsed) {
    return new CompletionsAnswer(requestId, parsed.request(), parsed.includeUsage());
  }
}
