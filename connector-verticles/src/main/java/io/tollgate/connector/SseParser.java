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
 */
public final class SseParser {

  /** One dispatched event; {@code event} is null unless the server named it. */
  public record Event(String event, String data) {
  }

  /** Longest line we buffer; an upstream sending more without a line break is not speaking SSE. */
  public static final int MAX_LINE_BYTES = 8 * 1024 * 1024;

  private final Handler<Event> handler;
  private Buffer partial = Buffer.buffer();
  private boolean skipLineFeed;
  private StringBuilder data;
  private String eventName;

  public SseParser(Handler<Event> handler) {
    this.handler = handler;
  }

  /** Feeds the next piece of the body; throws IllegalStateException if a line gets too long. */
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
        String line = takeLine(chunk, start, i);
        start = i + 1;
        skipLineFeed = b == '\r';
        onLine(line);
      }
    }
    if (start < length) {
      if (partial.length() + length - start > MAX_LINE_BYTES) {
        throw new IllegalStateException("event-stream line longer than " + MAX_LINE_BYTES + " bytes");
      }
      partial.appendBuffer(chunk, start, length - start);
    }
  }

  /** The body ended: a last event without its closing blank line is still delivered. */
  public void finish() {
    if (partial.length() > 0) {
      String line = partial.toString(StandardCharsets.UTF_8);
      partial = Buffer.buffer();
      onLine(line);
    }
    dispatch();
  }

  private String takeLine(Buffer chunk, int start, int end) {
    if (partial.length() == 0) {
      return chunk.getString(start, end, "UTF-8");
    }
    partial.appendBuffer(chunk, start, end - start);
    String line = partial.toString(StandardCharsets.UTF_8);
    partial = Buffer.buffer();
    return line;
  }

  private void onLine(String line) {
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
    if (colon >= 0) {
      int from = colon + 1 < line.length() && line.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1;
      value = line.substring(from);
    }
    switch (field) {
      case "data" -> {
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
      eventName = null;
      handler.handle(event);
    } else {
      eventName = null;
    }
  }
}
