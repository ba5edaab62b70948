package io.tollgate.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The event-stream parser")
class SseParserTest {

  private final List<SseParser.Event> events = new ArrayList<>();
  private final SseParser parser = new SseParser(events::add);

  private void feedInSlices(byte[] bytes, int slice) {
    for (int i = 0; i < bytes.length; i += slice) {
      parser.feed(Buffer.buffer().appendBytes(bytes, i, Math.min(slice, bytes.length - i)));
    }
  }

  @Test
  @DisplayName("reassembles events split anywhere, even inside a multi-byte character")
  void splitAnywhere() {
    byte[] bytes = "data: {\"content\":\"h\u00e9llo \u2603\"}\n\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
    for (int slice = 1; slice <= 7; slice++) {
      events.clear();
      feedInSlices(bytes, slice);
      assertThat(events).extracting(SseParser.Event::data)
          .as("slices of %d bytes", slice)
          .containsExactly("{\"content\":\"h\u00e9llo \u2603\"}", "[DONE]");
    }
  }

  @Test
  @DisplayName("accepts CRLF and lone CR line ends, also when CR and LF arrive in different buffers")
  void lineEnds() {
    parser.feed(Buffer.buffer("data: a\r"));
    parser.feed(Buffer.buffer("\n\r\ndata: b\r\rdata: c\n\n"));
    assertThat(events).extracting(SseParser.Event::data).containsExactly("a", "b", "c");
  }

  @Test
  @DisplayName("skips comments, joins multi-line data and keeps the event name")
  void commentsMultiLineAndNames() {
    parser.feed(Buffer.buffer(": keep-alive\n\nevent: error\ndata: first\ndata:second\nid: 7\nretry: 10\n\n"));
    assertThat(events).containsExactly(new SseParser.Event("error", "first\nsecond"));
  }

  @Test
  @DisplayName("delivers a last event that lacks its closing blank line when the body ends")
  void finishFlushes() {
    parser.feed(Buffer.buffer("data: tail"));
    assertThat(events).isEmpty();
    parser.finish();
    assertThat(events).extracting(SseParser.Event::data).containsExactly("tail");
  }

  @Test
  @DisplayName("refuses an endless line instead of buffering without bound")
  void endlessLine() {
    byte[] big = new byte[SseParser.DEFAULT_MAX_EVENT_BYTES / 4];
    java.util.Arrays.fill(big, (byte) 'x');
    assertThatThrownBy(() -> {
      for (int i = 0; i < 5; i++) {
        parser.feed(Buffer.buffer(big));
      }
    }).isInstanceOf(SseParser.OversizedEventException.class);
    assertThat(parser.bufferedBytes()).isLessThanOrEqualTo(SseParser.DEFAULT_MAX_EVENT_BYTES);
  }

  @Test
  @DisplayName("refuses an over-long line that arrives in one buffer together with its line end")
  void longLineInOneBuffer() {
    parser.feed(Buffer.buffer("data: "));
    byte[] big = new byte[SseParser.DEFAULT_MAX_EVENT_BYTES + 1];
    java.util.Arrays.fill(big, (byte) 'x');
    Buffer rest = Buffer.buffer(big).appendString("\n\n");

    assertThatThrownBy(() -> parser.feed(rest)).isInstanceOf(SseParser.OversizedEventException.class)
        .hasMessageContaining("line");
    assertThat(events).isEmpty();
  }

  @Test
  @DisplayName("refuses an event whose data lines together exceed the limit, however short each line is")
  void endlessEvent() {
    byte[] line = ("data: " + "x".repeat(64 * 1024 - 7) + "\n").getBytes(StandardCharsets.UTF_8);
    Buffer lines = Buffer.buffer();
    for (int i = 0; i < 16; i++) {
      lines.appendBytes(line);
    }
    // 1 MiB per feed, no blank line ever: one event that never ends.
    assertThatThrownBy(() -> {
      for (int i = 0; i < 9; i++) {
        parser.feed(lines);
      }
    }).isInstanceOf(SseParser.OversizedEventException.class).hasMessageContaining("event");
    assertThat(parser.bufferedBytes()).isLessThanOrEqualTo(SseParser.DEFAULT_MAX_EVENT_BYTES);
    assertThat(events).isEmpty();
  }

  @Test
  @DisplayName("an event of exactly the limit is delivered whole; one byte more is refused")
  void eventAtTheLimit() {
    SseParser small = new SseParser(events::add, 20);
    small.feed(Buffer.buffer("data: 0123456789\ndata: abcdefghi\n\n"));
    assertThat(events).extracting(SseParser.Event::data).containsExactly("0123456789\nabcdefghi");
    assertThatThrownBy(() -> small.feed(Buffer.buffer("data: 0123456789\ndata: abcdefghij\n")))
        .isInstanceOf(SseParser.OversizedEventException.class);
  }

  @Test
  @DisplayName("the end of the body still enforces the limit on the last, unterminated line")
  void finishEnforcesTheLimit() {
    SseParser small = new SseParser(events::add, 20);
    small.feed(Buffer.buffer("data: 0123456789\ndata: 0123456789"));
    assertThatThrownBy(small::finish).isInstanceOf(SseParser.OversizedEventException.class);
    assertThat(events).isEmpty();
  }
}
