package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TOLLGATE_LOG_FORMAT: JSON lines for machines, text for a terminal")
class LogFormatTest {

  @Test
  @DisplayName("explicit json and text win; auto (or unset, or unknown) is text on a terminal and JSON elsewhere")
  void choice() {
    assertThat(LogFormat.appender("json", true)).isEqualTo(LogFormat.JSON);
    assertThat(LogFormat.appender(" TEXT ", false)).isEqualTo(LogFormat.TEXT);
    assertThat(LogFormat.appender(null, true)).isEqualTo(LogFormat.TEXT);
    assertThat(LogFormat.appender(null, false)).isEqualTo(LogFormat.JSON);
    assertThat(LogFormat.appender("auto", false)).isEqualTo(LogFormat.JSON);
    assertThat(LogFormat.appender("yaml", true)).isEqualTo(LogFormat.TEXT);
  }

  @Test
  @DisplayName("TOLLGATE_ACCESS_LOG: on unless off, false or 0")
  void accessLog() {
    assertThat(LogFormat.accessLevel(null)).isEqualTo("INFO");
    assertThat(LogFormat.accessLevel("on")).isEqualTo("INFO");
    assertThat(LogFormat.accessLevel(" OFF ")).isEqualTo("OFF");
    assertThat(LogFormat.accessLevel("false")).isEqualTo("OFF");
  }
}
