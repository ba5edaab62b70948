package io.tollgate.api.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Upstream timeouts of a deployment, in milliseconds; 0 or absent means the named default.
 *
 * @param connectMs   TCP/TLS connect
 * @param firstByteMs from sending the request to the upstream's status line (a failover reason)
 * @param idleMs      longest silence between two chunks once streaming
 * @param totalMs     the whole call
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Timeouts(long connectMs, long firstByteMs, long idleMs, long totalMs) {

  public static final long DEFAULT_CONNECT_MS = 5_000;
  public static final long DEFAULT_FIRST_BYTE_MS = 60_000;
  public static final long DEFAULT_IDLE_MS = 60_000;
  public static final long DEFAULT_TOTAL_MS = 600_000;
  public static final Timeouts DEFAULTS = new Timeouts(0, 0, 0, 0);

  public Timeouts {
    connectMs = connectMs > 0 ? connectMs : DEFAULT_CONNECT_MS;
    firstByteMs = firstByteMs > 0 ? firstByteMs : DEFAULT_FIRST_BYTE_MS;
    idleMs = idleMs > 0 ? idleMs : DEFAULT_IDLE_MS;
    totalMs = totalMs > 0 ? totalMs : DEFAULT_TOTAL_MS;
  }
}
