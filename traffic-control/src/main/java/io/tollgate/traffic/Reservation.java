package io.tollgate.traffic;

/**
 * What admission reserved for a request; hand it back to {@link Admission#settle} or
 * {@link Admission#release} exactly once (more is harmless: settling is idempotent per request id).
 *
 * @param origin where the reservation lives: in Redis (exact), or in this node's local limiter
 *               because Redis was unreachable (approximate; its usage is replayed to Redis later)
 */
public record Reservation(AdmissionRequest request, Origin origin) {

  public enum Origin { REDIS, LOCAL }

  public String requestId() {
    return request.requestId();
  }
}
