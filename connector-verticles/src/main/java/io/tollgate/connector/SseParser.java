package io.tollgate.connector;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Incremental parser of a {@code text/event-stream} body (the WHATWG event-stream format): lines
 * may be split anywhere across network buffers (also inside a multi-byte character, hence the
 * byte-level line splitting), end in {@code \n}, {@code \r\n} or {@code \r}; {@code :} lines are
 * comments; several {@code data:} lines of one event are joined with {@code \n}; a blank line
 * dispatches the event. Shared by every SSE-speaking provider.
 *
 * <p>What it holds is bounded: a line, and the data of one event (its data lines' values joined
 * with {@code \n}, in UTF-8 bytes), may not exceed {@code maxEventBytes}; past that {@link #feed}
 * throws {@link OversizedEventException} instead of buffering more, and the caller fails the call
 * (the parser is not usable after that).
 */
public final class SseParser {

  /** One dispatched event; {@code event} is null unless the server named it. */
  public record Event(String event, String data) {
  }

  /**
   * Largest line, and largest data of one event, that we buffer: 8 MiB. A chat chunk is a few
   * hundred bytes; the largest legitimate events seen from OpenAI-compatible upstreams carry a
   * whole base64 image in one delta (a few MiB), so 8 MiB leaves room for those while an upstream
   * that never ends its line or its event costs at most this much per call (about three times
   * this while a line becomes text), not everything it sends.
   */
  public static final int DEFAULT_MAX_EVENT_BYTES = 8 * 1024 * 1024;

  /** A line or an event grew past the limit: the upstream is not speaking SSE we can relay. */
  public static final class OversizedEventException extends IllegalStateException {

    OversizedEventException(String what, int limit) {
      super("event-stream " + what + " longer than " + limit + " bytes");
    }

    /** Stackless: an expected upstream failure, reported as UPSTREAM_ERROR, not a bug of ours. */
    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  private final Handler<Event> handler;
  private final int maxEventBytes;
  private Buffer partial = Buffer.buffer();
  private boolean skipLineFeed;
  private StringBuilder data;
  private long dataBytes;
  private String eventName;

  public SseParser(Handler<Event> handler) {
    this(handler, DEFAULT_MAX_EVENT_BYTES);
  }

  public SseParser(Handler<Event> handler, int maxEventBytes) {
    if (maxEventBytes < 1) {
      throw new IllegalArgumentException("maxEventBytes must be >= 1");
    }
    this.handler = handler;
    this.maxEventBytes = maxEventBytes;
  }

  /** Feeds the next piece of the body; throws {@link OversizedEventException} past the limit. */
  public void feed(Buffer chunk) {
    int length = chunk.length();
    int start = 0;
    for (int i = 0; i < length; i++) {
      byte b = chunk.getByte(i);
      if (skipLineFeed) {
        skipLineFeed = false;
        if (b == '\n') {
          start = i + 1;
          continue;
        }
      }
      if (b == '\n' || b == '\r') {
        int lineBytes = partial.length() + i - start;
        String line = takeLine(chunk, start, i);
        start = i + 1;
        skipLineFeed = b == '\r';
        onLine(line, lineBytes);
      }
    }
    if (start < length) {
      checkLine((long) partial.length() + length - start);
      partial.appendBuffer(chunk, start, length - start);
    }
  }

  /** The body ended: a last event without its closing blank line is still delivered. */
  public void finish() {
    if (partial.length() > 0) {
      int lineBytes = partial.length();
      String line = partial.toString(StandardCharsets.UTF_8);
      partial = Buffer.buffer();
      onLine(line, lineBytes);
    }
    dispatch();
  }

  /** Bytes held for the line and the event not yet complete (for tests of the bound). */
  long bufferedBytes() {
    return partial.length() + dataBytes;
  }

  private void checkLine(long lineBytes) {
    if (lineBytes > maxEventBytes) {
      throw new OversizedEventException("line", maxEventBytes);
    }
  }

  private String takeLine(Buffer chunk, int start, int end) {
    if (partial.length() == 0) {
      checkLine(end - start);
      return chunk.getString(start, end, "UTF-8");
    }
    // One network buffer can hold a whole over-long line: check before copying it.
    checkLine((long) partial.length() + end - start);
    partial.appendBuffer(chunk, start, end - start);
    String line = partial.toString(StandardCharsets.UTF_8);
    partial = Buffer.buffer();
    return line;
  }

  private void onLine(String line, int lineBytes) {
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.charAt(0) == ':') {
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = "";
    int from = line.length();
    if (colon >= 0) {
      from = colon + 1 < line.length() && line.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1;
      value = line.substring(from);
    }
    switch (field) {
      case "data" -> {
        // What precedes the value is ASCII, so the value's UTF-8 bytes are the rest of the line's.
        long added = (data == null ? 0 : 1) + (colon < 0 ? 0 : lineBytes - from);
        if (dataBytes + added > maxEventBytes) {
          throw new OversizedEventException("event", maxEventBytes);
        }
        dataBytes += added;
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      }
      case "event" -> eventName = value;
      default -> {
        // id, retry and unknown fields mean nothing for a one-shot upstream call.
      }
    }
  }

  private void dispatch() {
    if (data != null) {
      Event event = new Event(eventName, data.toString());
      data = null;
      dataBytes = 0;
      eventName = null;
      handler.handle(event);
    } else {
      eventName = null;
    }
  }
}
