package io.tollgate.connector;

/**
 * One upstream protocol. A provider turns an {@link io.tollgate.api.bus.UpstreamCall} into an
 * upstream request and reports what happens through the {@link ProviderCall} it is handed; the
 * connector does the rest (replies, chunk sequencing, edge acks, timeouts, cancels, outcomes).
 * Implementations live in their own package and are registered in {@link Providers}.
 */
public interface Provider {

  /** The name used in deployments' {@code provider} and in {@code Addresses.connectorCall}. */
  String name();

  /**
   * Starts the call. Runs on the connector's event loop and must not block; everything the
   * provider reports back must happen on that loop too.
   */
  void start(ProviderCall call);
}
