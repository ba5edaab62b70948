package io.tollgate.launcher;

import io.tollgate.api.keys.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's bearer token: {@code TOLLGATE_ADMIN_TOKEN}, else the file named by
 * {@code TOLLGATE_ADMIN_TOKEN_FILE}, else (single JVM only) {@code <data dir>/admin-token},
 * generated and printed once on the first start.
 */
final class AdminToken {

  private static final Logger LOG = LoggerFactory.getLogger(AdminToken.class);

  private AdminToken() {
  }

  static String resolve(Settings settings) {
    if (settings.adminToken() != null) {
      return settings.adminToken();
    }
    try {
      if (settings.adminTokenFile() != null) {
        return Files.readString(settings.adminTokenFile(), StandardCharsets.UTF_8).trim();
      }
      if (settings.cluster()) {
        throw new IllegalArgumentException("an admin node in a cluster needs the cluster's admin token: set "
            + "TOLLGATE_ADMIN_TOKEN or TOLLGATE_ADMIN_TOKEN_FILE");
      }
      Path file = settings.dataDir().resolve("admin-token");
      if (Files.exists(file)) {
        return OwnerOnlyFiles.read(file);
      }
      String token = "tga-" + Secrets.generate().substring(Secrets.PREFIX.length());
      OwnerOnlyFiles.write(file, token + "\n");
      LOG.info("Generated the admin API token (shown once; kept in {}): {}", file, token);
      return token;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read or write the admin token: " + e.getMessage());
    }
  }
}
