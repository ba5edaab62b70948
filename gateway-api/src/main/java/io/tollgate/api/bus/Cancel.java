package io.tollgate.api.bus;

/**
 * Stop this request's upstream call now. Sent by the edge to the control address of the connector
 * instance that streams (client gone, edge timeout), or published by the router or the edge to
 * {@link io.tollgate.api.Addresses#connectorCancel(String)} when it does not know which connector
 * instance holds the call (an attempt that timed out). {@code attempt} names the router's attempt;
 * {@link #ANY_ATTEMPT} stops every attempt of the request.
 */
public record Cancel(String requestId, int attempt, String reason) {

  public static final int ANY_ATTEMPT = -1;

  public boolean matches(int callAttempt) {
    return attempt == ANY_ATTEMPT || attempt == callAttempt;
  }
}
