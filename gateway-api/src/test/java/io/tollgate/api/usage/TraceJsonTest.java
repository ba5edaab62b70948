package io.tollgate.api.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.codec.Wire;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Trace JSON: the failover trace as the text the wire mapper writes")
class TraceJsonTest {

  @Test
  @DisplayName("empty, one attempt, a failed-over trace with every error code: the same text as the mapper")
  void sameAsMapper() throws Exception {
    List<List<Attempt>> traces = new ArrayList<>();
    traces.add(List.of());
    traces.add(List.of(new Attempt("bench-mock", "mock", null, null, 1)));
    List<Attempt> all = new ArrayList<>();
    for (ErrorCode code : ErrorCode.values()) {
      all.add(new Attempt("d-" + code.ordinal(), null, code, "upstream said " + code.code(), code.ordinal()));
    }
    all.add(new Attempt(null, null, null, null, -1));
    traces.add(all);
    for (List<Attempt> trace : traces) {
      assertThat(TraceJson.of(trace)).isEqualTo(Wire.MAPPER.writeValueAsString(trace));
    }
  }

  @Test
  @DisplayName("messages with quotes, backslashes, control characters and non-ASCII text are escaped like the mapper does")
  void escapes() throws Exception {
    StringBuilder nasty = new StringBuilder("\"quoted\" back\\slash / tab\t nl\n é 漢字 😀 ");
    for (char c = 0; c < 0x20; c++) {
      nasty.append(c);
    }
    nasty.append('\u007f').append('\u2028');
    List<Attempt> trace = List.of(new Attempt("dep\"1", "prov\\", ErrorCode.values()[0], nasty.toString(), 42));
    String text = TraceJson.of(trace);
    assertThat(text).isEqualTo(Wire.MAPPER.writeValueAsString(trace));
    assertThat(Wire.MAPPER.readTree(text)).isEqualTo(Wire.MAPPER.readTree(Wire.MAPPER.writeValueAsString(trace)));
  }
}
