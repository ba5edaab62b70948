package io.tollgate.api.config;

import io.tollgate.api.codec.RecordCodecs;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Message types of the configuration feed that {@code Codecs.MESSAGE_TYPES} does not list yet
 * ({@link ConfigSnapshot} already is there). Once they are added there, {@link #registerAll} is
 * not needed any more.
 */
public final class ConfigCodecs {

  public static final List<Class<?>> MESSAGE_TYPES = List.of(ConfigEvent.class);

  private ConfigCodecs() {
  }

  /** Registers the default codec of every type in {@link #MESSAGE_TYPES}; call once per Vertx. */
  public static void registerAll(Vertx vertx) {
    for (Class<?> type : MESSAGE_TYPES) {
      register(vertx, type);
    }
  }

  private static <T> void register(Vertx vertx, Class<T> type) {
    vertx.eventBus().registerDefaultCodec(type, RecordCodecs.of(type));
  }
}
