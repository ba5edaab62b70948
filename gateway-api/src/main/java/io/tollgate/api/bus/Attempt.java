package io.tollgate.api.bus;

import io.tollgate.api.ErrorCode;

/** One try of one deployment in a failover trace; {@code error} is null for the one that started. */
public record Attempt(String deploymentId, String provider, ErrorCode error, String message, long millis) {

  public boolean ok() {
    return error == null;
  }
}
