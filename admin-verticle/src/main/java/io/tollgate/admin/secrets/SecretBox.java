package io.tollgate.admin.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts upstream keys at rest: AES-256-GCM, a fresh random 96-bit nonce per value, the
 * deployment id as associated data (a ciphertext copied to another deployment's row does not open).
 * The key comes from the environment ({@code TOLLGATE_SECRETS_KEY}, base64 of 32 bytes), never from
 * the database it protects.
 */
public final class SecretBox {

  public static final int KEY_BYTES = 32;
  public static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String CIPHER = "AES/GCM/NoPadding";

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  /** A sealed value: what goes into the {@code deployment_secrets} row. */
  public record Sealed(byte[] nonce, byte[] ciphertext) {
  }

  private SecretBox(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /** From base64 (standard or URL-safe) of exactly 32 bytes; the message never repeats the value. */
  public static SecretBox fromBase64(String base64) {
    byte[] raw;
    try {
      String s = base64.trim();
      raw = s.contains("-") || s.contains("_") ? Base64.getUrlDecoder().decode(s) : Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("TOLLGATE_SECRETS_KEY is not base64 (make one with: openssl rand -base64 32)");
    }
    if (raw.length != KEY_BYTES) {
      throw new IllegalArgumentException("TOLLGATE_SECRETS_KEY must be " + KEY_BYTES + " bytes, base64-encoded; got "
          + raw.length + " bytes (make one with: openssl rand -base64 32)");
    }
    return new SecretBox(raw);
  }

  /** A new random key, base64-encoded. */
  public static String generateKey() {
    byte[] raw = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  public Sealed seal(String plain, String deploymentId) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(CIPHER);
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(deploymentId.getBytes(StandardCharsets.UTF_8));
      return new Sealed(nonce, cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable in this JVM", e);
    }
  }

  /** The plain value; an IllegalStateException if the key is wrong or the row was tampered with. */
  public String open(Sealed sealed, String deploymentId) {
    try {
      Cipher cipher = Cipher.getInstance(CIPHER);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
      cipher.updateAAD(deploymentId.getBytes(StandardCharsets.UTF_8));
      return new String(cipher.doFinal(sealed.ciphertext()), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the stored credential of deployment " + deploymentId
          + " does not decrypt with this TOLLGATE_SECRETS_KEY (another key, or a modified row)");
    }
  }
}
