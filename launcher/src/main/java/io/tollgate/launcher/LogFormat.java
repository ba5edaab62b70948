package io.tollgate.launcher;

import java.util.Locale;

/**
 * How the node writes its log: {@code TOLLGATE_LOG_FORMAT=json} (one JSON object per line, for log
 * collectors), {@code text} (for a person at a terminal), or {@code auto} (the default): text when
 * standard output is a terminal, JSON otherwise (a container, a file, a pipe).
 */
final class LogFormat {

  static final String JSON = "JSON";
  static final String TEXT = "TEXT";

  private LogFormat() {
  }

  /** The logback appender's name for the setting; unknown values fall back to auto. */
  static String appender(String setting, boolean terminal) {
    String s = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "json" -> JSON;
      case "text" -> TEXT;
      default -> terminal ? TEXT : JSON;
    };
  }

  /** The access logger's level: {@code TOLLGATE_ACCESS_LOG=off} (or false) silences it; on by default. */
  static String accessLevel(String setting) {
    String s = setting == null ? "" : setting.trim().toLowerCase(Locale.ROOT);
    return s.equals("off") || s.equals("false") || s.equals("0") ? "OFF" : "INFO";
  }
}
