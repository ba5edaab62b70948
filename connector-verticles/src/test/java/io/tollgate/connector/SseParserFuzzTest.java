package io.tollgate.connector;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the upstream event-stream parser with whatever an upstream might send, cut into network
 * buffers anywhere. In the normal build only the seeds under {@code SseParserFuzzTestInputs/} run;
 * {@code JAZZER_FUZZ=1} fuzzes (see the README).
 */
@DisplayName("The event-stream parser under fuzzing")
class SseParserFuzzTest {

  /** Small, so that inputs of a few KiB reach the limits. */
  private static final int MAX_EVENT_BYTES = 256;

  /**
   * Properties: the only failure is the typed oversize error; what is buffered never passes the
   * limit; no event is larger than the limit; and how the bytes are cut into buffers changes
   * nothing (the same events, the same verdict), compared with the whole body fed at once.
   */
  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @DisplayName("fails only with the typed oversize error, stays bounded, and is blind to buffer boundaries")
  void parse(FuzzedDataProvider input) {
    int[] cuts = new int[input.consumeInt(0, 16)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = input.consumeInt(1, 64);
    }
    byte[] body = input.consumeRemainingAsBytes();

    Result whole = run(body, new int[0]);
    Result sliced = run(body, cuts);

    assertThat(sliced.oversized).as("verdict in slices vs whole").isEqualTo(whole.oversized);
    if (!whole.oversized) {
      assertThat(sliced.events).as("events in slices vs whole").isEqualTo(whole.events);
    }
  }

  private record Result(List<SseParser.Event> events, boolean oversized) {
  }

  private static Result run(byte[] body, int[] cuts) {
    List<SseParser.Event> events = new ArrayList<>();
    SseParser parser = new SseParser(events::add, MAX_EVENT_BYTES);
    try {
      int at = 0;
      int cut = 0;
      while (at < body.length) {
        int len = cuts.length == 0 ? body.length : Math.min(cuts[cut++ % cuts.length], body.length - at);
        parser.feed(Buffer.buffer().appendBytes(body, at, len));
        at += len;
        // At most one unfinished line plus the data of one unfinished event.
        assertThat(parser.bufferedBytes()).isLessThanOrEqualTo(2L * MAX_EVENT_BYTES);
      }
      parser.finish();
    } catch (SseParser.OversizedEventException e) {
      assertThat(parser.bufferedBytes()).isLessThanOrEqualTo(2L * MAX_EVENT_BYTES);
      return new Result(events, true);
    }
    for (SseParser.Event e : events) {
      assertThat(e.data().length()).isLessThanOrEqualTo(MAX_EVENT_BYTES);
    }
    return new Result(events, false);
  }
}
