package io.tollgate.edge;

import io.tollgate.api.GatewayException;
import io.tollgate.api.bus.Attempt;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * What an {@link Exchange} needs of its client's HTTP response, and no more: a seam so that the
 * exchange's state machine can be driven directly in tests (with a fake clock and a recording
 * channel) and so that other inbound formats can render the same stream later.
 */
interface ClientChannel {

  /** Response headers sent (a stream started); errors then go in-band. */
  boolean headWritten();

  /** Ended by us or closed by the client: nothing more can be written. */
  boolean finished();

  void putHeader(String name, String value);

  /** 200 with the SSE headers, written now so the client sees the stream start. */
  void startEventStream();

  void write(Buffer data);

  /** The last bytes of a started stream. */
  void end(Buffer data);

  /** A whole JSON answer (non-streaming clients). */
  void endJson(Buffer body);

  /** An error before anything was sent: the server's one failure handler writes the envelope. */
  void fail(GatewayException error, List<Attempt> attempts);

  /** Whether the socket's write queue is full (the client reads slower than the upstream writes). */
  boolean writeQueueFull();

  /** Called once when a full write queue drains. */
  void onDrain(Runnable action);

  /** Drops the connection without an answer (a client that stopped reading). */
  void reset();
}
