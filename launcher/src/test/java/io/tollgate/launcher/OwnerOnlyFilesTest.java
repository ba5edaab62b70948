package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Secrets the launcher keeps on disk are readable by their owner only")
class OwnerOnlyFilesTest {

  private static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  @DisplayName("the generated admin token and demo key are created rw------- and read back the same on restart")
  void generatedSecrets() throws Exception {
    Path dataDir = TestGateway.freshDataDir();
    Settings settings = Settings.parse(new String[0], Map.of("TOLLGATE_DATA_DIR", dataDir.toString()));
    String token = AdminToken.resolve(settings);
    String demoKey = DemoConfig.load(settings, name -> null).keys().stream()
        .filter(k -> k.name().equals(DemoConfig.KEY_NAME)).findFirst().orElseThrow().secret();

    assertThat(mode(dataDir.resolve("admin-token"))).isEqualTo("rw-------");
    assertThat(mode(dataDir.resolve("demo-key"))).isEqualTo("rw-------");
    assertThat(AdminToken.resolve(settings)).isEqualTo(token);
    assertThat(DemoConfig.load(settings, name -> null).keys()).anyMatch(k -> k.secret().equals(demoKey));
    try (var files = Files.list(dataDir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("admin-token", "demo-key");
    }
  }

  @Test
  @DisplayName("a token file an older version left readable by others is narrowed to owner-only when read")
  void olderFileNarrowed() throws Exception {
    Path dataDir = TestGateway.freshDataDir();
    Path file = dataDir.resolve("admin-token");
    Files.writeString(file, "tga-older-token\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    Settings settings = Settings.parse(new String[0], Map.of("TOLLGATE_DATA_DIR", dataDir.toString()));

    assertThat(AdminToken.resolve(settings)).isEqualTo("tga-older-token");
    assertThat(mode(file)).isEqualTo("rw-------");
  }

  @Test
  @DisplayName("writing replaces an existing file and leaves no temporary file behind")
  void replaces() throws Exception {
    Path file = TestGateway.freshDataDir().resolve("secret");
    OwnerOnlyFiles.write(file, "one");
    OwnerOnlyFiles.write(file, "two");
    assertThat(Files.readString(file)).isEqualTo("two");
    assertThat(mode(file)).isEqualTo("rw-------");
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }
}
