package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

@DisplayName("JSON log lines: one flat object per line, key-values as typed top-level fields")
class JsonLineEncoderTest {

  private final LoggerContext context = new LoggerContext();
  private final JsonLineEncoder encoder = new JsonLineEncoder();

  private String encode(LoggingEvent event) {
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  private LoggingEvent event(String message, Throwable error) {
    return new LoggingEvent("fqcn", context.getLogger("tollgate.access"), Level.INFO, message, error, null);
  }

  @Test
  @DisplayName("an access line: numbers stay numbers, money a decimal string, absent values null, one line")
  void accessLine() {
    LoggingEvent e = event("access", null);
    e.addKeyValuePair(new KeyValuePair("request_id", "r-1"));
    e.addKeyValuePair(new KeyValuePair("latency_ms", 12L));
    e.addKeyValuePair(new KeyValuePair("prompt_tokens", 14));
    e.addKeyValuePair(new KeyValuePair("cost_usd", new BigDecimal("0.0000117")));
    e.addKeyValuePair(new KeyValuePair("error", null));
    String line = encode(e);
    assertThat(line).endsWith("}\n").doesNotContain("kvpList");
    assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
    JsonObject json = new JsonObject(line);
    assertThat(json.getString("level")).isEqualTo("INFO");
    assertThat(json.getString("logger")).isEqualTo("tollgate.access");
    assertThat(json.getString("msg")).isEqualTo("access");
    assertThat(json.getString("request_id")).isEqualTo("r-1");
    assertThat(json.getValue("latency_ms")).isEqualTo(12);
    assertThat(json.getValue("prompt_tokens")).isEqualTo(14);
    assertThat(json.getValue("cost_usd")).isEqualTo("0.0000117");
    assertThat(json.containsKey("error")).isTrue();
    assertThat(json.getValue("error")).isNull();
    assertThat(json.getString("ts")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
  }

  @Test
  @DisplayName("quotes, backslashes, newlines and control characters are escaped; the line stays valid JSON")
  void escaping() {
    String nasty = "say \"hi\" \\ then\nnext\tline \u0001 end";
    String line = encode(event(nasty, null));
    assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
    assertThat(new JsonObject(line).getString("msg")).isEqualTo(nasty);
  }

  @Test
  @DisplayName("an error carries its class, message and a bounded stack in one line")
  void error() {
    String line = encode(event("failed", new IllegalStateException("boom", new RuntimeException("root"))));
    JsonObject json = new JsonObject(line);
    assertThat(json.getString("error")).isEqualTo("java.lang.IllegalStateException: boom");
    assertThat(json.getString("stack")).contains("at io.tollgate.launcher.JsonLineEncoderTest")
        .contains("caused by java.lang.RuntimeException: root");
    assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
  }
}
