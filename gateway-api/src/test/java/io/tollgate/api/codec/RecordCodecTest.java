package io.tollgate.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.routing.RouteDecision;
import io.tollgate.api.usage.CancelReason;
import io.tollgate.api.usage.UsageBatch;
import io.tollgate.api.usage.UsageEvent;
import io.vertx.core.buffer.Buffer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Message records survive the wire exactly; a local hop hands over the same instance")
class RecordCodecTest {

  private static <T> T roundTrip(Class<T> type, T value) {
    RecordCodec<T> codec = new RecordCodec<>(type);
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, value);
    assertThat(codec.transform(value)).isSameAs(value);
    return codec.decodeFromWire(0, wire);
  }

  @Test
  @DisplayName("a usage event (alone and in a batch) with exact cost, 64-bit tokens, decision, trace and cancel reason")
  void usageEvent() {
    UsageEvent e = new UsageEvent("req-1", Instant.parse("2026-11-27T02:00:00.123Z"),
        Instant.parse("2026-11-27T02:00:01.456Z"), "tn", "key", "gpt", "dep", "openai", 1,
        new RouteDecision("thompson", "v3", 0.25, "explore"), new Usage(5_000_000_000L, 7, 3, 2, true, 1),
        1333, 120, Outcome.Status.CANCELLED, ErrorCode.CANCELLED, ErrorCode.Side.CLIENT,
        CancelReason.CLIENT_DISCONNECT,
        List.of(new Attempt("a", "openai", ErrorCode.UPSTREAM_TIMEOUT, "t", 10), new Attempt("dep", "openai",
            null, null, 3)), new BigDecimal("0.000000001234567890123"));
    assertThat(roundTrip(UsageEvent.class, e)).isEqualTo(e);
    UsageBatch batch = new UsageBatch(List.of(e, e));
    UsageBatch back = roundTrip(UsageBatch.class, batch);
    assertThat(back).isEqualTo(batch);
    assertThat(back.events()).allSatisfy(event -> assertThat(event).isInstanceOf(UsageEvent.class));
  }

  @Test
  @DisplayName("stream messages keep their attempt and the END's deployment")
  void streamChunk() {
    StreamChunk end = StreamChunk.end("r", 2, 7, List.of(List.of(ChoiceDelta.text(0, "x"))), Usage.ZERO,
        Outcome.Status.OK, null, null, "dep");
    assertThat(roundTrip(StreamChunk.class, end)).isEqualTo(end);
  }
}
