package io.tollgate.edge.batch;

import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * How this node's batch worker sends a line through this node's own edge, so that it takes the
 * normal path (key checks, limits, routing, failover, usage and billing) without the key's secret,
 * which the gateway does not have: a random per-process token, never stored or sent off the loopback
 * connection, names the key the line runs as and the request id it runs under.
 */
public final class BatchLink {

  public static final String TOKEN = "x-tollgate-batch-token";
  public static final String KEY_ID = "x-tollgate-batch-key";
  public static final String REQUEST_ID = "x-tollgate-batch-request";

  private final byte[] token;
  private final String tokenText;

  public BatchLink() {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    this.tokenText = HexFormat.of().formatHex(raw);
    this.token = tokenText.getBytes(StandardCharsets.US_ASCII);
  }

  String token() {
    return tokenText;
  }

  /** Whether the request carries this node's token (constant-time comparison). */
  public boolean accepts(HttpServerRequest request) {
    String given = request.getHeader(TOKEN);
    return given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.US_ASCII));
  }

  /** Never the token. */
  @Override
  public String toString() {
    return "BatchLink";
  }
}
