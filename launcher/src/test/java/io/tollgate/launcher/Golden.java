package io.tollgate.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Comparing answers with golden files: generated values (response ids, timestamps) are masked,
 * everything else must match exactly. SSE streams compare event by event: the event name (if any)
 * and the data, as normalized JSON where it is JSON ({@code [DONE]} stays text).
 */
final class Golden {

  /** Keys whose values the gateway generates per answer. */
  private static final Set<String> GENERATED = Set.of("id", "created", "created_at", "completed_at");
  /** Masked only where they are the answer's own id (top level, or the message / response object). */
  private static final String MASK = "<generated>";

  private Golden() {
  }

  /** Durations measured per run (failover traces, invoke answers). */
  private static final Set<String> TIMINGS = Set.of("ms", "latency_ms");

  static JsonObject normalize(JsonObject json) {
    JsonObject copy = json.copy();
    mask(copy, 0);
    maskTimings(copy);
    maskResponsesIds(copy);
    return copy;
  }

  private static void maskTimings(Object value) {
    if (value instanceof JsonObject o) {
      for (String key : new ArrayList<>(o.fieldNames())) {
        if (TIMINGS.contains(key) && o.getValue(key) instanceof Number) {
          o.put(key, MASK);
        } else {
          maskTimings(o.getValue(key));
        }
      }
    } else if (value instanceof JsonArray a) {
      a.forEach(Golden::maskTimings);
    }
  }

  /**
   * Ids and timestamps at the top and one level down (Anthropic's {@code message_start.message},
   * Responses' {@code response.created.response}) are masked; deeper ids (tool-call ids, which
   * the upstream chose) are compared.
   */
  private static void mask(JsonObject json, int depth) {
    for (String key : new ArrayList<>(json.fieldNames())) {
      Object value = json.getValue(key);
      if (GENERATED.contains(key) && depth <= 1 && value != null && !(value instanceof JsonObject)
          && !(value instanceof String s && s.startsWith("call_")) && !(value instanceof String s2 && s2.startsWith("toolu_"))) {
        json.put(key, MASK);
      } else if (value instanceof JsonObject o && depth == 0 && (key.equals("message") || key.equals("response"))) {
        mask(o, depth + 1);
      } else if (value instanceof JsonArray a && depth == 0 && key.equals("output")) {
        for (Object item : a) {
          if (item instanceof JsonObject o && o.getValue("id") instanceof String) {
            o.put("id", MASK);
          }
        }
      }
    }
  }

  /** Id prefixes of the Responses API objects the gateway names per answer (response, message, call, reasoning items). */
  private static final List<String> RESPONSES_IDS = List.of("resp_", "msg_", "fc_", "rs_");

  /**
   * Responses ids at any depth, under {@code id} and {@code item_id} (events name their item by
   * it); call ids ({@code call_id}) come from the upstream and are compared, and so are sequence
   * numbers, which are deterministic.
   */
  private static void maskResponsesIds(Object value) {
    if (value instanceof JsonObject o) {
      for (String key : new ArrayList<>(o.fieldNames())) {
        Object v = o.getValue(key);
        if ((key.equals("id") || key.equals("item_id")) && v instanceof String s
            && RESPONSES_IDS.stream().anyMatch(s::startsWith)) {
          o.put(key, MASK);
        } else {
          maskResponsesIds(v);
        }
      }
    } else if (value instanceof JsonArray a) {
      a.forEach(Golden::maskResponsesIds);
    }
  }

  /** An SSE body as a list of "event: name | data" strings, data normalized when it is JSON. */
  static List<String> events(String body) {
    List<String> out = new ArrayList<>();
    String event = null;
    StringBuilder data = null;
    for (String line : (body.replace("\r\n", "\n") + "\n\n").split("\n", -1)) {
      if (line.isEmpty()) {
        if (data != null) {
          out.add((event == null ? "" : "event: " + event + " | ") + data(data.toString()));
        }
        event = null;
        data = null;
      } else if (line.startsWith("event:")) {
        event = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        String part = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
        data = data == null ? new StringBuilder(part) : data.append('\n').append(part);
      }
    }
    return out;
  }

  private static String data(String data) {
    String trimmed = data.trim();
    if (trimmed.startsWith("{")) {
      return normalize(new JsonObject(trimmed)).encode();
    }
    return trimmed;
  }
}
