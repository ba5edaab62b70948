package io.tollgate.api.channel;

import java.time.Instant;
import java.util.Objects;

/** Published on {@link ChannelAddresses#FROZEN} once a key froze itself (committed in the config database). */
public record KeyFrozen(String keyId, String tenantId, long failures, String clientIp, Instant frozenAt,
                        long version) {

  public KeyFrozen {
    Objects.requireNonNull(keyId, "keyId");
  }
}
