package io.tollgate.api.codec;

import io.vertx.core.eventbus.MessageCodec;

/** Public access to the record codec, for message types declared outside this package. */
public final class RecordCodecs {

  private RecordCodecs() {
  }

  /** The codec {@link Codecs} uses: same instance locally, length-prefixed JSON on the wire. */
  public static <T> MessageCodec<T, T> of(Class<T> type) {
    return new RecordCodec<>(type);
  }
}
