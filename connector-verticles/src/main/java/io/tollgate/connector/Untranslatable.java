package io.tollgate.connector;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.chat.Dialect;

/**
 * The 400 for a request that cannot be said in the upstream's format without changing its
 * meaning. It names what cannot be translated, so the client knows what to drop or which model
 * to pick; it is a client error, so the router does not fail over on it.
 */
public final class Untranslatable {

  private Untranslatable() {
  }

  public static GatewayException parameter(String name, Dialect from, String upstream) {
    return new GatewayException(ErrorCode.INVALID_REQUEST, "The parameter '" + name + "' of the " + from.wire()
        + " format cannot be sent to this model's " + upstream + " upstream.", name);
  }

  public static GatewayException part(ContentPart.Opaque part, String upstream) {
    return new GatewayException(ErrorCode.INVALID_REQUEST, "A '" + part.kind() + "' part of the "
        + part.dialect().wire() + " format cannot be sent to this model's " + upstream + " upstream.");
  }

  public static GatewayException because(String what) {
    return new GatewayException(ErrorCode.INVALID_REQUEST, "This request cannot be translated: " + what + ".");
  }
}
