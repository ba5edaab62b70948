package io.tollgate.api.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Counts in limits are 64-bit whole numbers")
class WholeNumberTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Limits read(String json) throws Exception {
    return JSON.readValue(json, Limits.class);
  }

  @Test
  @DisplayName("numbers past 2^31, up to Long.MAX_VALUE, and numeric strings are read exactly")
  void accepted() throws Exception {
    Limits l = read("{\"rpm\": 0, \"tpm\": 6000000000, \"token_quota\": {\"daily\": \"5000000000\","
        + " \"total\": 9223372036854775807, \"monthly\": 7.0}}");
    assertThat(l.rpm()).isZero();
    assertThat(l.tpm()).isEqualTo(6_000_000_000L);
    assertThat(l.tokenQuota().daily()).isEqualTo(5_000_000_000L);
    assertThat(l.tokenQuota().monthly()).isEqualTo(7L);
    assertThat(l.tokenQuota().total()).isEqualTo(Long.MAX_VALUE);
    assertThat(read("{\"rpm\": null}").rpm()).isNull();
  }

  @Test
  @DisplayName("out of range, negative, fractional or not a number: one message, and Jackson knows the field")
  void refused() {
    for (String bad : new String[] {"9223372036854775808", "-1", "1.5", "\"many\"", "true", "[1]"}) {
      assertThatThrownBy(() -> read("{\"token_quota\": {\"daily\": " + bad + "}}"))
          .as(bad)
          .isInstanceOfSatisfying(MismatchedInputException.class, e -> {
            assertThat(e.getOriginalMessage()).isEqualTo(WholeNumber.MESSAGE);
            assertThat(e.getPathReference()).contains("\"token_quota\"").contains("\"daily\"");
          });
    }
    assertThat(WholeNumber.MESSAGE).isEqualTo("must be a whole number between 0 and 9223372036854775807");
  }
}
