package io.tollgate.api.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.io.IOException;

/**
 * Codec for an immutable message record. Locally the same instance is handed over (records are
 * immutable, so there is nothing to copy); on the wire it is length-prefixed JSON.
 */
final class RecordCodec<T> implements MessageCodec<T, T> {

  private final Class<T> type;
  private final String name;

  RecordCodec(Class<T> type) {
    this.type = type;
    this.name = "tollgate." + type.getSimpleName();
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    byte[] bytes;
    try {
      bytes = Wire.MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + name, e);
    }
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    byte[] bytes = buffer.getBytes(pos + 4, pos + 4 + length);
    try {
      return Wire.MAPPER.readValue(bytes, type);
    } catch (IOException e) {
      throw new IllegalStateException("cannot decode " + name, e);
    }
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
