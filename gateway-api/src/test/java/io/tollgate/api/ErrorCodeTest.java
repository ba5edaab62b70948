package io.tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Error codes keep their wire numbers across versions")
class ErrorCodeTest {

  /**
   * The wire numbers nodes exchange in ReplyExceptions. Appending to this table is fine; changing
   * or reusing a number breaks a cluster that runs two versions during a rolling upgrade.
   */
  private static final Map<String, Integer> PINNED = new LinkedHashMap<>();

  static {
    String[] names = {"INVALID_JSON", "INVALID_REQUEST", "MISSING_API_KEY", "INVALID_API_KEY", "KEY_DISABLED",
        "KEY_EXPIRED", "IP_NOT_ALLOWED", "MODEL_NOT_ALLOWED", "NOT_FOUND", "MODEL_NOT_FOUND", "METHOD_NOT_ALLOWED",
        "CONFLICT", "BODY_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE", "RATE_LIMITED", "INSUFFICIENT_QUOTA",
        "UPSTREAM_BAD_REQUEST", "UPSTREAM_AUTH", "UPSTREAM_RATE_LIMITED", "UPSTREAM_ERROR", "UPSTREAM_UNREACHABLE",
        "UPSTREAM_TIMEOUT", "NO_DEPLOYMENT_AVAILABLE", "SERVICE_UNAVAILABLE", "GATEWAY_TIMEOUT", "CANCELLED",
        "INTERNAL", "UPSTREAM_OVERLOADED", "UPSTREAM_POOL_EXHAUSTED"};
    for (int i = 0; i < names.length; i++) {
      PINNED.put(names[i], 4000 + i);
    }
    // Capabilities (issue 11) take 4060-4064.
    PINNED.put("CAPABILITY_NOT_SUPPORTED", 4060);
    // The external channel's codes (4075-4079).
    String[] channel = {"SIGNATURE_MISSING", "SIGNATURE_INVALID", "TIMESTAMP_OUT_OF_WINDOW", "NONCE_REUSED",
        "KEY_FROZEN"};
    for (int i = 0; i < channel.length; i++) {
      PINNED.put(channel[i], 4075 + i);
    }
  }

  @Test
  @DisplayName("every pinned code still has its number, and every code has a pinned number")
  void pinned() {
    PINNED.forEach((name, wire) -> assertThat(ErrorCode.valueOf(name).wire()).as(name).isEqualTo(wire));
    for (ErrorCode c : ErrorCode.values()) {
      assertThat(PINNED).as("pin the wire number of a new code here: " + c).containsKey(c.name());
    }
  }

  @Test
  @DisplayName("a wire number maps back to its code; numbers that are not ours map to nothing")
  void roundTrip() {
    for (ErrorCode c : ErrorCode.values()) {
      assertThat(ErrorCode.fromWire(c.wire())).isEqualTo(c);
    }
    assertThat(ErrorCode.fromWire(-1)).isNull();
    assertThat(ErrorCode.fromWire(3999)).isNull();
    assertThat(ErrorCode.fromWire(404)).isNull();
  }
}
