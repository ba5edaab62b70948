package io.tollgate.connector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reading an upstream's Retry-After")
class UpstreamErrorsTest {

  private static final long NOW = 1_700_000_000_000L; // Tue, 14 Nov 2023 22:13:20 GMT

  @Test
  @DisplayName("seconds, fractions, an HTTP date, retry-after-ms first; unreadable or negative is none; capped at an hour")
  void parses() {
    assertThat(UpstreamErrors.retryAfterMs("2", null, NOW)).isEqualTo(2_000);
    assertThat(UpstreamErrors.retryAfterMs("0.5", null, NOW)).isEqualTo(500);
    assertThat(UpstreamErrors.retryAfterMs("Tue, 14 Nov 2023 22:13:30 GMT", null, NOW)).isEqualTo(10_000);
    assertThat(UpstreamErrors.retryAfterMs("2", "750", NOW)).isEqualTo(750);
    assertThat(UpstreamErrors.retryAfterMs("soon", null, NOW)).isZero();
    assertThat(UpstreamErrors.retryAfterMs("Tue, 14 Nov 2023 22:00:00 GMT", null, NOW)).isZero();
    assertThat(UpstreamErrors.retryAfterMs(null, null, NOW)).isZero();
    assertThat(UpstreamErrors.retryAfterMs("86400", null, NOW)).isEqualTo(UpstreamErrors.MAX_RETRY_AFTER_MS);
  }
}
