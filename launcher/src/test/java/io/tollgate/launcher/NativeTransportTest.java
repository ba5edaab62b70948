package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Network transport: Linux epoll where it loads, NIO when turned off")
class NativeTransportTest {

  private static final String CONFIG = """
      models:
        - name: m
          deployments:
            - {id: m-1, provider: mock, mock: {tokens: 3}}
      """;

  private static boolean linuxX64() {
    String arch = System.getProperty("os.arch");
    return System.getProperty("os.name").toLowerCase().contains("linux") && ("amd64".equals(arch) || "x86_64".equals(arch));
  }

  @Test
  @DisplayName("a node uses epoll on Linux x86-64 (the bundled native library), and serves a chat over it")
  void epollByDefault() {
    Tollgate node = TestGateway.start(TestGateway.writeConfig(CONFIG));
    try {
      assertThat(node.vertx().isNativeTransportEnabled()).isEqualTo(linuxX64());
      assertThat(TestGateway.openAi(node.httpPort(), TestGateway.KEY).chat().completions().create(
          com.openai.models.chat.completions.ChatCompletionCreateParams.builder().model("m").addUserMessage("hi")
              .build()).choices()).hasSize(1);
    } finally {
      node.close().await();
    }
  }

  @Test
  @DisplayName("TOLLGATE_NATIVE_TRANSPORT=off keeps Java NIO")
  void offKeepsNio() {
    Map<String, String> env = new HashMap<>(TestGateway.ENV);
    env.put(Tollgate.NATIVE_TRANSPORT_ENV, "off");
    Tollgate node = TestGateway.start(TestGateway.writeConfig(CONFIG), Set.of(Role.values()), false, "unused", null,
        null, TestGateway.freshDataDir(), env);
    try {
      assertThat(node.vertx().isNativeTransportEnabled()).isFalse();
    } finally {
      node.close().await();
    }
  }
}
