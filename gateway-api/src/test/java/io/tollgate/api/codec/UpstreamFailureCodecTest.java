package io.tollgate.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.bus.RouteResult;
import io.tollgate.api.bus.UpstreamFailure;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("An upstream failure keeps its retry-after and the param it names across the wire, and old and new nodes read each other")
class UpstreamFailureCodecTest {

  private final UpstreamFailureCodec codec = new UpstreamFailureCodec();

  private UpstreamFailure roundTrip(UpstreamFailure f) {
    Buffer wire = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(wire, f);
    return codec.decodeFromWire(6, wire);
  }

  @Test
  @DisplayName("a 400 naming its param arrives with the param; a GatewayException carries it through toReply and from")
  void param() {
    GatewayException sent = new GatewayException(ErrorCode.UPSTREAM_BAD_REQUEST, "refused max_tokens", "max_tokens");
    UpstreamFailure back = roundTrip((UpstreamFailure) sent.toReply());
    assertThat(back.param()).isEqualTo("max_tokens");
    assertThat(back.retryAfterMs()).isZero();
    GatewayException received = GatewayException.from(back);
    assertThat(received.code()).isEqualTo(ErrorCode.UPSTREAM_BAD_REQUEST);
    assertThat(received.param()).isEqualTo("max_tokens");
    assertThat(received.getMessage()).isEqualTo("refused max_tokens");

    UpstreamFailure both = roundTrip(new UpstreamFailure(4016, "m", 1500, "prompt"));
    assertThat(both.retryAfterMs()).isEqualTo(1500);
    assertThat(both.param()).isEqualTo("prompt");
  }

  @Test
  @DisplayName("the layout before params (code, retry-after, message) still decodes, without a param")
  void oldLayout() {
    byte[] message = "upstream answered HTTP 429".getBytes(StandardCharsets.UTF_8);
    Buffer wire = Buffer.buffer().appendInt(4017).appendLong(2000).appendInt(message.length).appendBytes(message);
    UpstreamFailure f = codec.decodeFromWire(0, wire);
    assertThat(f.retryAfterMs()).isEqualTo(2000);
    assertThat(f.param()).isNull();
    assertThat(roundTrip(new UpstreamFailure(4017, "x", 2000)).param()).isNull();
  }

  @Test
  @DisplayName("a route failure carries its param to the edge through the record codec")
  void routeResult() {
    RecordCodec<RouteResult> rc = new RecordCodec<>(RouteResult.class);
    RouteResult r = RouteResult.failed("m", ErrorCode.UPSTREAM_BAD_REQUEST, "refused", "max_tokens", List.of(), null);
    Buffer wire = Buffer.buffer();
    rc.encodeToWire(wire, r);
    assertThat(rc.decodeFromWire(0, wire).param()).isEqualTo("max_tokens");
  }
}
