package io.tollgate.api.bus;

/**
 * Connector -> router: the upstream accepted the call; cancels go to {@code controlAddress}.
 *
 * @param upstreamMillis from the call's arrival at the connector to the upstream's status line:
 *                       the upstream's part of the time to the answer's start, which the edge
 *                       subtracts to report the gateway's own overhead
 */
public record CallStarted(String deploymentId, String controlAddress, long upstreamMillis) {

  public CallStarted(String deploymentId, String controlAddress) {
    this(deploymentId, controlAddress, 0);
  }
}
