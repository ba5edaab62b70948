package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Where the web console finds the gateway API and which origins the edge lets call it")
class ConsoleUrlsTest {

  @Test
  @DisplayName("TOLLGATE_PUBLIC_URL wins (without its trailing slash); else this JVM's edge once it listens")
  void gatewayUrl() {
    assertThat(ConsoleUrls.gatewayUrl(Map.of("TOLLGATE_PUBLIC_URL", "https://llm.example.com/")::get, "127.0.0.1",
        () -> 8080).get()).isEqualTo("https://llm.example.com");
    int[] port = {-1};
    var local = ConsoleUrls.gatewayUrl(Map.<String, String>of()::get, "127.0.0.1", () -> port[0]);
    assertThat(local.get()).as("before the edge listens").isNull();
    port[0] = 18080;
    assertThat(local.get()).isEqualTo("http://127.0.0.1:18080");
    assertThat(ConsoleUrls.gatewayUrl(Map.<String, String>of()::get, "0.0.0.0", () -> 8080).get())
        .as("a wildcard bind names no host a browser can use").isNull();
  }

  @Test
  @DisplayName("the console's own origin on loopback (127.0.0.1 and localhost), plus TOLLGATE_CONSOLE_ORIGINS")
  void consoleOrigins() {
    assertThat(ConsoleUrls.consoleOrigins(Map.<String, String>of()::get, "127.0.0.1", 8081))
        .containsExactly("http://127.0.0.1:8081", "http://localhost:8081");
    assertThat(ConsoleUrls.consoleOrigins(Map.of("TOLLGATE_CONSOLE_ORIGINS",
        " https://admin.example.com/ , http://10.0.0.5:8081")::get, "0.0.0.0", 8081))
        .containsExactly("https://admin.example.com", "http://10.0.0.5:8081");
    assertThat(ConsoleUrls.consoleOrigins(Map.<String, String>of()::get, "127.0.0.1", -1))
        .as("no admin role in this JVM").isEmpty();
  }
}
