package io.tollgate.edge;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.config.ConfigIndex;
import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.keys.IpAllowList;
import io.tollgate.api.keys.Secrets;
import io.tollgate.api.keys.Tenant;
import io.tollgate.edge.channel.ExternalChannel;
import io.tollgate.edge.format.openai.OpenAiChatFormat;
import java.time.Instant;

/**
 * API-key checks against the in-memory key index: 401 when the key is missing or unknown, 403
 * with a distinct code when it is known but may not be used (disabled, expired, wrong address,
 * model out of scope).
 */
final class KeyAuth {

  private KeyAuth() {
  }

  static ApiKey authenticate(ConfigIndex index, String authorization, String clientIp, Instant now) {
    return authenticateSecret(index, OpenAiChatFormat.bearer(authorization), clientIp, now);
  }

  /** The key by its secret, as the request's format found it (Bearer token, Anthropic's x-api-key). */
  static ApiKey authenticateSecret(ConfigIndex index, String secret, String clientIp, Instant now) {
    if (secret == null) {
      throw new GatewayException(ErrorCode.MISSING_API_KEY,
          "You didn't provide an API key. Send it in the Authorization header: 'Authorization: Bearer YOUR_KEY'"
              + " (the Anthropic API also takes 'x-api-key: YOUR_KEY').");
    }
    ApiKey key = index.keyByHash(Secrets.hash(secret));
    if (key == null) {
      throw new GatewayException(ErrorCode.INVALID_API_KEY, "Incorrect API key provided.");
    }
    usable(index, key, now);
    if (!IpAllowList.allows(key.ipAllow(), clientIp)) {
      throw new GatewayException(ErrorCode.IP_NOT_ALLOWED,
          "This API key may not be used from " + clientIp + ".");
    }
    return key;
  }

  /**
   * The key by id, for a line of a batch that the key created (run by this node's batch worker):
   * the key must still be usable; its address allow-list applied when the batch was created.
   */
  static ApiKey forBatch(ConfigIndex index, String keyId, Instant now) {
    ApiKey key = keyId == null ? null : index.key(keyId);
    if (key == null) {
      throw new GatewayException(ErrorCode.INVALID_API_KEY, "The key that created this batch no longer exists.");
    }
    usable(index, key, now);
    return key;
  }

  /** Enabled (key and tenant), not frozen, not expired. */
  private static void usable(ConfigIndex index, ApiKey key, Instant now) {
    Tenant tenant = key.tenantId() == null ? null : index.tenant(key.tenantId());
    if (!key.enabled() || (tenant != null && !tenant.enabled())) {
      throw new GatewayException(ErrorCode.KEY_DISABLED,
          tenant != null && !tenant.enabled() ? "This API key's tenant is disabled." : "This API key is disabled.");
    }
    if (key.frozen()) {
      throw new GatewayException(ErrorCode.KEY_FROZEN, ExternalChannel.frozenMessage());
    }
    if (key.expiresAt() != null && !now.isBefore(key.expiresAt())) {
      throw new GatewayException(ErrorCode.KEY_EXPIRED, "This API key expired at " + key.expiresAt() + ".");
    }
  }

  /** Whether the key may use the model; a scope may name the public name or the alias asked for. */
  static void checkScope(ApiKey key, String publicModelName, String requested) {
    if (!key.models().isEmpty() && !key.models().contains(publicModelName) && !key.models().contains(requested)) {
      throw new GatewayException(ErrorCode.MODEL_NOT_ALLOWED,
          "This API key may not use the model '" + requested + "'.", "model");
    }
  }
}
