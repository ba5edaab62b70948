package io.tollgate.api.codec;

import io.tollgate.api.bus.UpstreamFailure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.charset.StandardCharsets;

/** Failure code, retry-after and message; the message length-prefixed. Immutable, so local delivery shares it. */
final class UpstreamFailureCodec implements MessageCodec<UpstreamFailure, UpstreamFailure> {

  @Override
  public void encodeToWire(Buffer buffer, UpstreamFailure f) {
    byte[] message = f.getMessage() == null ? new byte[0] : f.getMessage().getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(f.failureCode()).appendLong(f.retryAfterMs()).appendInt(message.length).appendBytes(message);
  }

  @Override
  public UpstreamFailure decodeFromWire(int pos, Buffer buffer) {
    int code = buffer.getInt(pos);
    long retryAfterMs = buffer.getLong(pos + 4);
    int length = buffer.getInt(pos + 12);
    String message = new String(buffer.getBytes(pos + 16, pos + 16 + length), StandardCharsets.UTF_8);
    return new UpstreamFailure(code, message, retryAfterMs);
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
