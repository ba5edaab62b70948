package io.tollgate.api;

/**
 * Event-bus addresses. Fixed addresses are shared by every node of a role (the event bus
 * round-robins {@code send}/{@code request} among them); per-instance addresses (named by an id
 * unique to one verticle instance in the cluster, e.g. a random UUID) are registered
 * once at start-up by one verticle instance and carried in messages so replies find their way
 * back without per-request consumer registration.
 */
public final class Addresses {

  /** {@link io.tollgate.api.bus.RouteRequest} -> {@link io.tollgate.api.bus.RouteResult}. */
  public static final String ROUTER_ROUTE = "tollgate.router.route";

  /** Readiness probe of the router role: any reply means a router is reachable. */
  public static final String ROUTER_PING = "tollgate.router.ping";

  /**
   * {@link io.tollgate.api.routing.RoutingStatsRequest} -> {@link io.tollgate.api.routing.RoutingStats}: what a
   * router node has learned about a model's deployments (fails with {@code MODEL_NOT_FOUND}).
   */
  public static final String ROUTER_STATS = "tollgate.router.stats";

  /** Published {@link io.tollgate.api.bus.Outcome}s: every router node, later billing and audit. */
  public static final String OUTCOMES = "tollgate.outcomes";

  /**
   * {@link io.tollgate.api.usage.UsageBatch}es of usage events for the billing role, sent with a
   * reply expected (the ack that lets the producer's outbox forget the batch); load-balanced over
   * billing nodes.
   */
  public static final String BILLING_USAGE = "tollgate.billing.usage";

  /** The same batches for the audit role. */
  public static final String AUDIT_USAGE = "tollgate.audit.usage";

  /**
   * {@link io.tollgate.api.usage.ReconcileRequest}s (the admin API's on-demand reconciliation),
   * answered with a {@link io.tollgate.api.usage.ReconcileReport} by a billing node that can reach
   * the limits' Redis; load-balanced over such nodes.
   */
  public static final String BILLING_RECONCILE = "tollgate.billing.reconcile";

  private static final String CONNECTOR_PREFIX = "tollgate.connector.";

  private Addresses() {
  }

  /** Where a connector for {@code provider} takes {@link io.tollgate.api.bus.UpstreamCall}s. */
  public static String connectorCall(String provider) {
    return CONNECTOR_PREFIX + provider + ".call";
  }

  /**
   * Where cancels are published when the sender does not know which connector instance holds the
   * call (an attempt that timed out, an edge that never heard the router's answer): every connector
   * instance of {@code provider} checks its calls, and remembers the cancel for a call that has not
   * reached it yet.
   */
  public static String connectorCancel(String provider) {
    return CONNECTOR_PREFIX + provider + ".cancel";
  }

  /** Readiness probe of the connectors for {@code provider}. */
  public static String connectorPing(String provider) {
    return CONNECTOR_PREFIX + provider + ".ping";
  }

  /** The one stream address of an edge verticle instance; chunks are demultiplexed by request id. */
  public static String edgeStream(String instanceId) {
    return "tollgate.edge." + instanceId + ".stream";
  }

  /** The one control address of a connector verticle instance, for cancels. */
  public static String connectorControl(String instanceId) {
    return CONNECTOR_PREFIX + instanceId + ".control";
  }
}
