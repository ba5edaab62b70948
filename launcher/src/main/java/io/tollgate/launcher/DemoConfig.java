package io.tollgate.launcher;

import io.tollgate.api.config.GatewayConfig;
import io.tollgate.api.config.KeyConfig;
import io.tollgate.api.keys.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The config used without {@code --config}: mock models and one demo key. The key comes from
 * {@code TOLLGATE_DEMO_KEY}, else from {@code <data dir>/demo-key}, else it is generated and kept
 * there, so it stays the same across restarts without being a well-known secret.
 */
final class DemoConfig {

  static final String KEY_NAME = "demo";

  private DemoConfig() {
  }

  static GatewayConfig load(Settings settings, Function<String, String> env) {
    GatewayConfig models;
    try (InputStream in = DemoConfig.class.getResourceAsStream("/demo-config.yaml")) {
      models = ConfigLoader.load(in, env, "demo-config.yaml");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<KeyConfig> keys = new ArrayList<>(models.keys());
    keys.add(new KeyConfig(KEY_NAME, demoKey(settings)));
    return new GatewayConfig(models.models(), keys);
  }

  private static String demoKey(Settings settings) {
    if (settings.demoKey() != null && !settings.demoKey().isBlank()) {
      return settings.demoKey().trim();
    }
    Path file = settings.dataDir().resolve("demo-key");
    try {
      if (Files.exists(file)) {
        return OwnerOnlyFiles.read(file);
      }
      String key = Secrets.generate();
      OwnerOnlyFiles.write(file, key + "\n");
      return key;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read or write the demo key at " + file + ": " + e.getMessage());
    }
  }
}
