package io.tollgate.api.channel;

/** Event-bus addresses of the external channel (signed keys). */
public final class ChannelAddresses {

  /**
   * Request-reply: {@link SigningSecretRequest} -> {@link SigningSecretReply}, answered by admin
   * nodes for edges verifying an external key's signature. Fails with {@code KEY_FROZEN}'s or
   * {@code INVALID_API_KEY}'s wire code when there is nothing to hand out.
   */
  public static final String SIGNING_SECRET = "tollgate.channel.signing-secret";

  /**
   * Request-reply: {@link KeyFreeze} -> {@code Boolean} (whether this request froze it; false when it
   * was frozen already), answered by admin nodes: the key is frozen in the config database and every
   * edge refuses it once the config event arrives.
   */
  public static final String FREEZE = "tollgate.channel.freeze";

  /**
   * Published {@link KeyFrozen} events, once per key that froze itself, after the freeze committed.
   * The hook point for webhooks and audit records: subscribe here, nothing else needs to change.
   */
  public static final String FROZEN = "tollgate.channel.frozen";

  private ChannelAddresses() {
  }
}
