package io.tollgate.admin.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.tollgate.admin.http.AdminJson;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Conversions between records and column values (jsonb as text, timestamptz). */
final class Sql {

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

  private Sql() {
  }

  static String json(Object value) {
    return AdminJson.text(value);
  }

  static <T> T read(String json, Class<T> type) {
    try {
      return AdminJson.JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("stored JSON is not a " + type.getSimpleName(), e);
    }
  }

  static List<String> strings(String json) {
    try {
      return json == null ? List.of() : AdminJson.JSON.readValue(json, STRINGS);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("stored JSON is not a list of strings", e);
    }
  }

  static OffsetDateTime time(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
