package io.tollgate.api.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** API-key secrets: generation and the hash under which they are stored and looked up. */
public final class Secrets {

  public static final String PREFIX = "tg-";
  /** Prefix of an external key's signing secret, so the two are never confused. */
  public static final String SIGNING_PREFIX = "tgs-";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private Secrets() {
  }

  /** A new secret: the prefix and 40 base-62 characters (~238 bits of randomness). */
  public static String generate() {
    return generate(PREFIX);
  }

  /** A new signing secret for an external key: {@link #SIGNING_PREFIX} and 40 base-62 characters. */
  public static String generateSigning() {
    return generate(SIGNING_PREFIX);
  }

  private static String generate(String prefix) {
    StringBuilder sb = new StringBuilder(prefix.length() + 40).append(prefix);
    for (int i = 0; i < 40; i++) {
      sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return sb.toString();
  }

  /** Lowercase hex SHA-256 of the secret. Fast enough per request (~1 microsecond). */
  public static String hash(String secret) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
