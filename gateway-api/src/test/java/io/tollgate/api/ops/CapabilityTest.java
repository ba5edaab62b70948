package io.tollgate.api.ops;

import static io.tollgate.api.ops.Capability.CHAT;
import static io.tollgate.api.ops.Capability.COMPLETIONS;
import static io.tollgate.api.ops.Capability.EMBEDDINGS;
import static io.tollgate.api.ops.Capability.RERANK;
import static io.tollgate.api.ops.Capability.STREAMING;
import static io.tollgate.api.ops.Capability.TOOLS;
import static io.tollgate.api.ops.Capability.VISION;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.chat.RawJson;
import io.tollgate.api.chat.Role;
import io.tollgate.api.chat.Tool;
import io.tollgate.api.codec.Wire;
import io.tollgate.api.config.DeploymentConfig;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Capabilities: provider defaults, declared lists and what a request needs")
class CapabilityTest {

  private static DeploymentConfig dep(String provider, List<String> caps) {
    return new DeploymentConfig("d", provider, null, null, null, null, null, null, null, null, null, null, null,
        null, null, caps);
  }

  @Test
  @DisplayName("wire words are the lower-case names and unknown words are found by index")
  void words() throws Exception {
    assertThat(Wire.MAPPER.writeValueAsString(List.of(CHAT, EMBEDDINGS, RERANK, COMPLETIONS, TOOLS, VISION,
        STREAMING))).isEqualTo("[\"chat\",\"embeddings\",\"rerank\",\"completions\",\"tools\",\"vision\",\"streaming\"]");
    assertThat(Capability.fromWireOrNull("Tools")).isEqualTo(TOOLS);
    assertThat(Capability.firstUnknown(List.of("chat", "tool", "vision"))).isEqualTo(1);
    assertThat(Capability.firstUnknown(null)).isEqualTo(-1);
    assertThat(Capability.firstUnknown(List.of("chat", "rerank"))).isEqualTo(-1);
  }

  @Test
  @DisplayName("each provider's defaults apply when a deployment declares none")
  void defaults() {
    assertThat(Capability.of(dep("openai", null)))
        .containsExactlyInAnyOrder(CHAT, COMPLETIONS, EMBEDDINGS, TOOLS, VISION, STREAMING);
    assertThat(Capability.of(dep("azure-openai", null)))
        .containsExactlyInAnyOrder(CHAT, EMBEDDINGS, TOOLS, VISION, STREAMING);
    assertThat(Capability.of(dep("gemini", null))).isEqualTo(Capability.of(dep("vertex", null)))
        .containsExactlyInAnyOrder(CHAT, EMBEDDINGS, TOOLS, VISION, STREAMING);
    assertThat(Capability.of(dep("anthropic", null))).containsExactlyInAnyOrder(CHAT, TOOLS, VISION, STREAMING);
    assertThat(Capability.of(dep("cohere", null))).containsExactly(RERANK);
    assertThat(Capability.of(dep("mock", null))).isEqualTo(EnumSet.allOf(Capability.class));
    assertThat(Capability.of(dep("openai", List.of("chat")))).containsExactly(CHAT);
  }

  @Test
  @DisplayName("a chat needs tools when it offers tools, vision for images (also in tool results), streaming when it streams")
  void chatNeeds() {
    ChatRequest plain = ChatRequest.builder("m", List.of(ChatMessage.of(Role.USER, "hi"))).build();
    assertThat(Capability.needs(plain)).containsExactly(CHAT);
    ChatRequest tools = plain.toBuilder().stream(true)
        .tools(List.of(Tool.function("f", null, new RawJson("{}")))).build();
    assertThat(Capability.needs(tools)).containsExactlyInAnyOrder(CHAT, TOOLS, STREAMING);
    ChatRequest image = ChatRequest.builder("m", List.of(new ChatMessage(Role.TOOL, List.of(
        new ContentPart.ToolResult("c", List.of(new ContentPart.Image("https://x/y.png", null, null, null, null)),
            false, null)), null))).build();
    assertThat(Capability.needs(image)).containsExactlyInAnyOrder(CHAT, VISION);
    assertThat(Capability.missing(dep("openai", List.of("chat", "streaming")), Capability.needs(tools)))
        .isEqualTo(TOOLS);
    assertThat(Capability.missing(dep("openai", null), Capability.needs(tools))).isNull();
  }

  @Test
  @DisplayName("other operations need their own capability, streamed completions streaming too")
  void operationNeeds() {
    assertThat(Capability.needs(new EmbeddingsRequest("e", List.of("x"), null, null, null, null, null)))
        .containsExactly(EMBEDDINGS);
    assertThat(Capability.needs(new RerankRequest("r", "q", List.of(RerankRequest.Document.of("d")), null, null,
        null))).containsExactly(RERANK);
    assertThat(Capability.needs(new CompletionRequest("c", List.of("p"), null, true, null, null, null, null, null,
        null, null, null, null, null))).containsExactlyInAnyOrder(COMPLETIONS, STREAMING);
    assertThat(Capability.missing(dep("anthropic", null), EnumSet.of(EMBEDDINGS))).isEqualTo(EMBEDDINGS);
  }
}
