package io.tollgate.launcher;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * One flat JSON object per log line: {@code {"ts":"...","level":"INFO","logger":"...","thread":"...",
 * "msg":"...", ...key-values...}}, key-values as top-level fields with numbers and booleans unquoted
 * and absent values as {@code null}, so a collector can filter on {@code status} or sum
 * {@code completion_tokens} without unpacking anything.
 *
 * <p>Logback's own {@code JsonEncoder} writes key-values as a list of one-field objects
 * ({@code "kvpList":[{"model":"gpt"},...]}) with every value a string, and builds several
 * intermediate strings per field: on the access log, one line per request, it was about a tenth of
 * everything the gateway allocated under load. This one fills one builder per event.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {

  private static final byte[] EMPTY = new byte[0];
  private static final int MAX_FRAMES = 20;
  private static final int MAX_CAUSES = 5;

  @Override
  public byte[] headerBytes() {
    return EMPTY;
  }

  @Override
  public byte[] footerBytes() {
    return EMPTY;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"ts\":\"").append(Instant.ofEpochMilli(event.getTimeStamp())).append('"');
    sb.append(",\"level\":\"").append(event.getLevel()).append('"');
    field(sb, "logger", event.getLoggerName());
    field(sb, "thread", event.getThreadName());
    field(sb, "msg", event.getFormattedMessage());
    List<KeyValuePair> kvps = event.getKeyValuePairs();
    if (kvps != null) {
      for (KeyValuePair kv : kvps) {
        sb.append(',');
        string(sb, kv.key);
        sb.append(':');
        value(sb, kv.value);
      }
    }
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      field(sb, "error", error.getClassName() + ": " + error.getMessage());
      field(sb, "stack", stack(error));
    }
    sb.append("}\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The frames of the error and each cause, each cut to its first frames: the line stays bounded. */
  private static String stack(IThrowableProxy error) {
    StringBuilder sb = new StringBuilder();
    int depth = 0;
    for (IThrowableProxy t = error; t != null && depth < MAX_CAUSES; t = t.getCause(), depth++) {
      if (t != error) {
        sb.append("caused by ").append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
      }
      StackTraceElementProxy[] frames = t.getStackTraceElementProxyArray();
      int shown = Math.min(frames.length, MAX_FRAMES);
      for (int i = 0; i < shown; i++) {
        sb.append("  at ").append(frames[i].getStackTraceElement()).append('\n');
      }
      if (frames.length > shown) {
        sb.append("  ... ").append(frames.length - shown).append(" more\n");
      }
    }
    return sb.toString();
  }

  private static void field(StringBuilder sb, String name, String value) {
    sb.append(",\"").append(name).append("\":");
    value(sb, value);
  }

  private static void value(StringBuilder sb, Object value) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
        || value instanceof Boolean) {
      sb.append(value);
    } else if (value instanceof Double d && Double.isFinite(d) || value instanceof Float f && Float.isFinite(f)) {
      sb.append(value);
    } else if (value instanceof java.math.BigDecimal d) {
      // Money stays a decimal string: JSON readers turn numbers into doubles.
      sb.append('"').append(d.toPlainString()).append('"');
    } else {
      string(sb, value.toString());
    }
  }

  /** A JSON string: quotes, backslashes and control characters escaped, everything else as is. */
  static void string(StringBuilder sb, String s) {
    sb.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
