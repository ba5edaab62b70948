package io.tollgate.api.channel;

import java.util.Objects;

/**
 * An edge telling the admin role that an external key reached its limit of bad signatures.
 *
 * @param keyVersion the key's config version the failures were counted under (an unfreeze takes a
 *                   new version, so failures from before it cannot freeze the key again)
 * @param failures   bad signatures counted in the period
 * @param clientIp   where the last one came from (audit)
 */
public record KeyFreeze(String keyId, long keyVersion, long failures, String clientIp) {

  public KeyFreeze {
    Objects.requireNonNull(keyId, "keyId");
  }
}
