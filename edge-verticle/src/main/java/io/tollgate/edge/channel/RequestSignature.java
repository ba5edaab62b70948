package io.tollgate.edge.channel;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The external channel's signature: lowercase hex of HMAC-SHA256(signing secret, method + "\n" +
 * path + "\n" + timestamp + "\n" + nonce + "\n" + hex(SHA-256(body))). The path is the request
 * path without its query string, as the client sent it.
 */
public final class RequestSignature {

  private static final HexFormat HEX = HexFormat.of();

  private RequestSignature() {
  }

  /** The string that is signed. */
  public static String canonical(String method, String path, String timestamp, String nonce, byte[] body) {
    return method + "\n" + path + "\n" + timestamp + "\n" + nonce + "\n" + HEX.formatHex(sha256(body));
  }

  /** The signature a client sends, lowercase hex. */
  public static String sign(String secret, String method, String path, String timestamp, String nonce, byte[] body) {
    return HEX.formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8),
        canonical(method, path, timestamp, nonce, body)));
  }

  /**
   * Whether {@code signature} (hex, any case) is the request's. Compared in constant time over the
   * raw MAC bytes: how long a wrong guess takes says nothing about how much of it was right.
   */
  public static boolean matches(byte[] secret, String method, String path, String timestamp, String nonce,
                                byte[] body, String signature) {
    byte[] expected = hmac(secret, canonical(method, path, timestamp, nonce, body));
    byte[] given;
    try {
      given = HEX.parseHex(signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(expected, given);
  }

  private static byte[] hmac(byte[] secret, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  private static byte[] sha256(byte[] body) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
