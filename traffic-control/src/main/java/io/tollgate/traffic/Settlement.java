package io.tollgate.traffic;

import io.tollgate.api.chat.Usage;
import java.math.BigDecimal;

/**
 * The real usage of a request, replacing what admission reserved. For a cancelled stream pass the
 * tokens produced so far (the connector's {@link Usage} marks them {@code estimated}).
 *
 * @param tokens prompt plus completion tokens, as tpm and token quotas count them
 * @param cost   USD, exact; zero if unpriced
 */
public record Settlement(long tokens, BigDecimal cost) {

  /** Nothing was used: what {@link Admission#release} settles with. */
  public static final Settlement NONE = new Settlement(0, BigDecimal.ZERO);

  public Settlement {
    cost = cost == null ? BigDecimal.ZERO : cost;
    if (tokens < 0 || cost.signum() < 0) {
      throw new IllegalArgumentException("usage must be >= 0");
    }
  }

  public static Settlement of(Usage usage, BigDecimal cost) {
    return new Settlement(usage.totalTokens(), cost);
  }
}
