package io.tollgate.api.bus;

/** Connector -> router: the upstream accepted the call; cancels go to {@code controlAddress}. */
public record CallStarted(String deploymentId, String controlAddress) {
}
