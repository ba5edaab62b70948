package io.tollgate.api.usage;

import io.tollgate.api.bus.Attempt;
import java.util.List;

/**
 * The failover trace of a {@link UsageEvent} as JSON text, the way billing and audit store it:
 * the same text {@link io.tollgate.api.codec.Wire#MAPPER} writes (nulls left out, the error as its
 * enum name), without an object mapper per event. Billing and audit write thousands of traces a
 * second; the mapper cost them more than the rest of a row together.
 */
public final class TraceJson {

  private static final String EMPTY = "[]";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private TraceJson() {
  }

  public static String of(List<Attempt> trace) {
    if (trace.isEmpty()) {
      return EMPTY;
    }
    StringBuilder out = new StringBuilder(64 * trace.size());
    out.append('[');
    for (int i = 0; i < trace.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      Attempt a = trace.get(i);
      out.append('{');
      boolean first = string(out, true, "deploymentId", a.deploymentId());
      first = string(out, first, "provider", a.provider());
      first = string(out, first, "error", a.error() == null ? null : a.error().name());
      first = string(out, first, "message", a.message());
      if (!first) {
        out.append(',');
      }
      out.append("\"millis\":").append(a.millis()).append('}');
    }
    return out.append(']').toString();
  }

  private static boolean string(StringBuilder out, boolean first, String name, String value) {
    if (value == null) {
      return first;
    }
    if (!first) {
      out.append(',');
    }
    out.append('"').append(name).append("\":\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
    return false;
  }
}
