package io.tollgate.edge;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Request ids: unique in the cluster (a random per-instance prefix and a counter), cheap to make.
 * A client's own {@code x-request-id} is echoed back when it is sane, but never used internally:
 * two clients could send the same one.
 */
final class RequestIds {

  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

  private final String prefix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private long counter;

  String next() {
    return prefix + Long.toString(++counter, 36);
  }

  static boolean acceptable(String clientId) {
    return clientId != null && CLIENT_ID.matcher(clientId).matches();
  }
}
