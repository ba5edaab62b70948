package io.tollgate.launcher;

import io.tollgate.admin.secrets.SecretBox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key that encrypts literal upstream keys in the admin database: {@code TOLLGATE_SECRETS_KEY}
 * (base64 of 32 bytes), else the file named by {@code TOLLGATE_SECRETS_KEY_FILE}, else (single JVM
 * only) {@code <data dir>/secrets-key}, generated on the first start. A clustered admin node without
 * one has none: literal keys are then refused and only references are accepted.
 */
final class SecretsKey {

  static final String ENV = "TOLLGATE_SECRETS_KEY";
  static final String ENV_FILE = "TOLLGATE_SECRETS_KEY_FILE";
  private static final Logger LOG = LoggerFactory.getLogger(SecretsKey.class);

  private SecretsKey() {
  }

  /** The base64 key, or null; validated here so a bad key stops the start with a clear message. */
  static String resolve(Settings settings, Function<String, String> env) {
    String key = env.apply(ENV);
    try {
      if ((key == null || key.isBlank()) && env.apply(ENV_FILE) != null) {
        key = Files.readString(Path.of(env.apply(ENV_FILE)), StandardCharsets.UTF_8).trim();
      }
      if ((key == null || key.isBlank()) && !settings.cluster()) {
        key = local(settings.dataDir().resolve("secrets-key"));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read or write the secrets key: " + e.getMessage());
    }
    if (key == null || key.isBlank()) {
      LOG.info("no {}: literal upstream keys are refused; use ${{ENV_VAR}} or file:/path references", ENV);
      return null;
    }
    SecretBox.fromBase64(key);
    return key.trim();
  }

  private static String local(Path file) throws IOException {
    if (Files.exists(file)) {
      return OwnerOnlyFiles.read(file);
    }
    String key = SecretBox.generateKey();
    OwnerOnlyFiles.write(file, key + "\n");
    LOG.warn("Generated a secrets key in {}: literal upstream keys are encrypted with it, but it sits beside the "
        + "database; set {} (or {}) to keep them apart", file, ENV, ENV_FILE);
    return key;
  }
}
