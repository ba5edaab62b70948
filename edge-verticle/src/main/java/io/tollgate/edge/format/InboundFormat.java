package io.tollgate.edge.format;

import io.tollgate.api.GatewayException;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.chat.ChatRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * One client-facing API (OpenAI chat, Anthropic Messages, OpenAI Responses): how its requests
 * are read into the canonical model and how answers and errors are written back in its shapes.
 * Everything between (keys, limits, routing, streaming over the cluster, settlement, usage) is
 * shared by every format and lives outside this package. One package per format below this one.
 */
public interface InboundFormat {

  /** Parses a request body, once; a 400 names the offending field in this format's words. */
  ChatRequest parse(Buffer body);

  /** A writer for one answer; {@code requestId} is the gateway's id, the writer derives its own response id. */
  AnswerWriter answer(String requestId, ChatRequest request);

  /** The API key the client sent, in this format's header convention; null when none. */
  String apiKey(HttpServerRequest request);

  /** The HTTP status of an error in this format (Anthropic has 529 where OpenAI has 503). */
  int status(GatewayException error);

  /** The error body; {@code attempts} is the failover trace, when there was one. */
  Buffer errorBody(GatewayException error, List<Attempt> attempts);

  /** The last bytes of a stream that fails after its head was written (an in-band error event). */
  Buffer streamError(GatewayException error);
}
