package io.tollgate.edge.batch;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A batch input file, validated line by line: every error names its line (1-based). */
final class BatchInput {

  /** The endpoints a batch may target (the gateway's own endpoints that answer one JSON body). */
  static final Set<String> ENDPOINTS = java.util.Collections.unmodifiableSet(
      new java.util.LinkedHashSet<>(List.of("/v1/chat/completions", "/v1/embeddings")));

  record Line(int lineNo, String customId, String body) {
  }

  private BatchInput() {
  }

  /** Checks the file's format; {@code endpoint} null: any supported endpoint, else every line's url must be it. */
  static List<Line> parse(Buffer file, String endpoint, int maxLines) {
    String text = file.toString(StandardCharsets.UTF_8);
    List<Line> lines = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int n = 0;
    for (String raw : text.split("\n", -1)) {
      n++;
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (lines.size() == maxLines) {
        throw invalid("the file has more than " + maxLines + " requests");
      }
      JsonObject json;
      try {
        json = new JsonObject(line);
      } catch (DecodeException | ClassCastException e) {
        throw invalid("line " + n + " is not a JSON object");
      }
      Object customId = json.getValue("custom_id");
      if (!(customId instanceof String id) || id.isEmpty()) {
        throw invalid("line " + n + ": custom_id must be a non-empty string");
      }
      if (!ids.add(id)) {
        throw invalid("line " + n + ": custom_id '" + id + "' appears twice");
      }
      if (!"POST".equals(json.getValue("method"))) {
        throw invalid("line " + n + ": method must be \"POST\"");
      }
      Object url = json.getValue("url");
      if (!(url instanceof String u) || !ENDPOINTS.contains(u) || (endpoint != null && !endpoint.equals(u))) {
        throw invalid("line " + n + ": url must be " + (endpoint != null ? endpoint : String.join(" or ", ENDPOINTS)));
      }
      if (!(json.getValue("body") instanceof JsonObject body)) {
        throw invalid("line " + n + ": body must be a JSON object");
      }
      lines.add(new Line(n, id, body.encode()));
    }
    if (lines.isEmpty()) {
      throw invalid("the file has no requests");
    }
    return lines;
  }

  private static GatewayException invalid(String message) {
    return new GatewayException(ErrorCode.INVALID_REQUEST, message, "file");
  }
}
