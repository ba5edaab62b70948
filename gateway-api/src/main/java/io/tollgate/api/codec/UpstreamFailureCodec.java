package io.tollgate.api.codec;

import io.tollgate.api.bus.UpstreamFailure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.charset.StandardCharsets;

/**
 * Failure code, retry-after and message, the message length-prefixed; then, when the failure names a
 * param, the param length-prefixed. A param is announced by a negative retry-after ({@code -(ms + 1)}),
 * so a node that predates params reads a retry-after of 0 (it clamps negatives) and ignores the
 * trailing bytes, and a newer node never guesses from the buffer's length. Immutable, so local
 * delivery shares it.
 */
final class UpstreamFailureCodec implements MessageCodec<UpstreamFailure, UpstreamFailure> {

  @Override
  public void encodeToWire(Buffer buffer, UpstreamFailure f) {
    byte[] message = f.getMessage() == null ? new byte[0] : f.getMessage().getBytes(StandardCharsets.UTF_8);
    boolean withParam = f.param() != null;
    buffer.appendInt(f.failureCode()).appendLong(withParam ? -(f.retryAfterMs() + 1) : f.retryAfterMs())
        .appendInt(message.length).appendBytes(message);
    if (withParam) {
      byte[] param = f.param().getBytes(StandardCharsets.UTF_8);
      buffer.appendInt(param.length).appendBytes(param);
    }
  }

  @Override
  public UpstreamFailure decodeFromWire(int pos, Buffer buffer) {
    int code = buffer.getInt(pos);
    long retryAfterMs = buffer.getLong(pos + 4);
    int length = buffer.getInt(pos + 12);
    String message = new String(buffer.getBytes(pos + 16, pos + 16 + length), StandardCharsets.UTF_8);
    if (retryAfterMs >= 0) {
      return new UpstreamFailure(code, message, retryAfterMs);
    }
    int at = pos + 16 + length;
    int paramLength = buffer.getInt(at);
    String param = new String(buffer.getBytes(at + 4, at + 4 + paramLength), StandardCharsets.UTF_8);
    return new UpstreamFailure(code, message, -retryAfterMs - 1, param);
  }

  @Override
  public UpstreamFailure transform(UpstreamFailure f) {
    return f;
  }

  @Override
  public String name() {
    return "tollgate.UpstreamFailure";
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
