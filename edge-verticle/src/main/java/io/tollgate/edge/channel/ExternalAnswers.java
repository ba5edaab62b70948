package io.tollgate.edge.channel;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an external key's answers may say. No gateway headers ({@code x-tollgate-route} names a
 * deployment, {@code -policy}, {@code -attempts} and {@code -overhead-ms} describe the inside), no
 * failover trace, and only generic messages for failures that are not about the client's own request
 * (upstream and gateway failures, limits and budgets, whose messages name tenants, limits or providers).
 */
public final class ExternalAnswers {

  private static final String GATEWAY_PREFIX = "x-tollgate-";

  private ExternalAnswers() {
  }

  /** Removes every gateway header; called once the head is about to be written. */
  public static void strip(MultiMap headers) {
    List<String> internal = new ArrayList<>();
    for (String name : headers.names()) {
      if (name.toLowerCase(Locale.ROOT).startsWith(GATEWAY_PREFIX)) {
        internal.add(name);
      }
    }
    internal.forEach(headers::remove);
  }

  /** The failure as an external client sees it: same code and status, generic text where the text is internal. */
  public static GatewayException shown(GatewayException e) {
    ErrorCode code = e.code();
    boolean own = code.side() == ErrorCode.Side.CLIENT && code != ErrorCode.RATE_LIMITED
        && code != ErrorCode.INSUFFICIENT_QUOTA;
    if (own) {
      return e;
    }
    return new GatewayException(code, generic(code), null, e.retryAfterMs());
  }

  static String generic(ErrorCode code) {
    return switch (code) {
      case RATE_LIMITED -> "Rate limit reached; retry later.";
      case INSUFFICIENT_QUOTA -> "Quota exhausted for this key.";
      case GATEWAY_TIMEOUT, UPSTREAM_TIMEOUT -> "The request timed out.";
      case SERVICE_UNAVAILABLE, NO_DEPLOYMENT_AVAILABLE, UPSTREAM_OVERLOADED, UPSTREAM_RATE_LIMITED ->
          "The service is temporarily unavailable; retry later.";
      case UPSTREAM_BAD_REQUEST -> "The request was refused as invalid.";
      default -> "The request could not be completed.";
    };
  }
}
