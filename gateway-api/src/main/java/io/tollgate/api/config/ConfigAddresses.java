package io.tollgate.api.config;

/**
 * Event-bus addresses of the configuration feed. The admin role owns Postgres and answers on
 * {@link #SNAPSHOT} and {@link #VERSION}; every node that serves traffic keeps a
 * {@link ConfigFeed} fed by {@link #EVENTS}.
 */
public final class ConfigAddresses {

  /** Request-reply: body null (or a known version as a {@code Long}, ignored) -> {@link ConfigSnapshot}. */
  public static final String SNAPSHOT = "tollgate.config.snapshot";

  /** Request-reply: body null -> the current config version as a {@code Long} (a cheap staleness check). */
  public static final String VERSION = "tollgate.config.version";

  /** Published {@link ConfigEvent}s, one per committed change, after the commit. */
  public static final String EVENTS = "tollgate.config.events";

  /**
   * Request-reply: {@link SecretRequest} -> {@link SecretReply}, answered by admin nodes. Only
   * connector nodes ask, for the {@code secret:} markers of the deployments they call; a deployment
   * without a stored secret is a failure with {@code ErrorCode.UPSTREAM_AUTH}'s wire code.
   */
  public static final String SECRET = "tollgate.config.secret";

  private ConfigAddresses() {
  }
}
