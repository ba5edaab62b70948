package io.tollgate.api.ops;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.config.DeploymentConfig;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a deployment can serve. A deployment's {@code capabilities} list names them with these
 * lower-case {@link #wire() words}; without a list the provider's {@link #defaultsFor defaults}
 * apply. The router picks only deployments whose capabilities cover what a request
 * {@link #needs(ChatRequest) needs}.
 */
public enum Capability {
  CHAT("chat"),
  EMBEDDINGS("embeddings"),
  RERANK("rerank"),
  COMPLETIONS("completions"),
  /** Function tools in a chat request. */
  TOOLS("tools"),
  /** Image parts in a chat request. */
  VISION("vision"),
  /** A streamed answer ({@code stream: true}). */
  STREAMING("streaming");

  private static final Set<Capability> CHAT_FAMILY = Collections.unmodifiableSet(
      EnumSet.of(CHAT, TOOLS, VISION, STREAMING));
  private static final Map<String, Set<Capability>> DEFAULTS = Map.of(
      "openai", frozen(EnumSet.of(CHAT, COMPLETIONS, EMBEDDINGS, TOOLS, VISION, STREAMING)),
      "azure-openai", frozen(EnumSet.of(CHAT, EMBEDDINGS, TOOLS, VISION, STREAMING)),
      "gemini", frozen(EnumSet.of(CHAT, EMBEDDINGS, TOOLS, VISION, STREAMING)),
      "vertex", frozen(EnumSet.of(CHAT, EMBEDDINGS, TOOLS, VISION, STREAMING)),
      "anthropic", CHAT_FAMILY,
      "cohere", frozen(EnumSet.of(RERANK)),
      "mock", frozen(EnumSet.allOf(Capability.class)));

  private final String wire;

  Capability(String wire) {
    this.wire = wire;
  }

  /** The word used in config, the admin API and error messages. */
  @JsonValue
  public String wire() {
    return wire;
  }

  /** The capability a word names (case-insensitive), or null if it names none. */
  public static Capability fromWireOrNull(String word) {
    if (word == null) {
      return null;
    }
    String w = word.trim().toLowerCase(Locale.ROOT);
    for (Capability c : values()) {
      if (c.wire.equals(w)) {
        return c;
      }
    }
    return null;
  }

  @JsonCreator
  public static Capability fromWire(String word) {
    Capability c = fromWireOrNull(word);
    if (c == null) {
      throw new IllegalArgumentException("unknown capability '" + word + "'");
    }
    return c;
  }

  /** The words a list may use, for error messages. */
  public static String words() {
    StringBuilder sb = new StringBuilder();
    for (Capability c : values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(c.wire);
    }
    return sb.toString();
  }

  /**
   * Index of the first word in {@code words} that names no capability, or -1 when all do (a null
   * list is valid: it means the provider's defaults). Admin and config input use it to answer a
   * 400 naming {@code capabilities[i]}.
   */
  public static int firstUnknown(List<String> words) {
    if (words == null) {
      return -1;
    }
    for (int i = 0; i < words.size(); i++) {
      if (fromWireOrNull(words.get(i)) == null) {
        return i;
      }
    }
    return -1;
  }

  /**
   * A provider's defaults. A provider this node does not know (a newer node's) gets the chat
   * family, which is what every deployment could serve before capabilities existed.
   */
  public static Set<Capability> defaultsFor(String provider) {
    return DEFAULTS.getOrDefault(provider, CHAT_FAMILY);
  }

  /**
   * What a deployment serves: its declared list, or its provider's defaults when it declares none.
   * Words this node does not know are skipped (they were validated by the node that stored them,
   * possibly a newer one).
   */
  public static Set<Capability> of(DeploymentConfig deployment) {
    List<String> declared = deployment.capabilities();
    if (declared == null) {
      return defaultsFor(deployment.provider());
    }
    EnumSet<Capability> set = EnumSet.noneOf(Capability.class);
    for (String word : declared) {
      Capability c = fromWireOrNull(word);
      if (c != null) {
        set.add(c);
      }
    }
    return set;
  }

  /** What a chat request needs: chat, plus tools if it offers tools, vision if it has images, streaming if it streams. */
  public static Set<Capability> needs(ChatRequest chat) {
    EnumSet<Capability> set = EnumSet.of(CHAT);
    if (!chat.tools().isEmpty()) {
      set.add(TOOLS);
    }
    if (hasImage(chat)) {
      set.add(VISION);
    }
    if (chat.stream()) {
      set.add(STREAMING);
    }
    return set;
  }

  /** What a non-chat request needs: its operation's capability (streamed completions need streaming too). */
  public static Set<Capability> needs(OperationRequest request) {
    EnumSet<Capability> set = EnumSet.of(request.operation().capability());
    if (request.stream()) {
      set.add(STREAMING);
    }
    return set;
  }

  /** The first capability of {@code needed} that {@code deployment} lacks, or null if it serves them all. */
  public static Capability missing(DeploymentConfig deployment, Set<Capability> needed) {
    Set<Capability> has = of(deployment);
    for (Capability c : needed) {
      if (!has.contains(c)) {
        return c;
      }
    }
    return null;
  }

  private static boolean hasImage(ChatRequest chat) {
    for (ChatMessage m : chat.messages()) {
      if (hasImage(m.content())) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasImage(List<ContentPart> parts) {
    for (ContentPart p : parts) {
      if (p instanceof ContentPart.Image
          || p instanceof ContentPart.ToolResult r && hasImage(r.content())) {
        return true;
      }
    }
    return false;
  }

  private static Set<Capability> frozen(EnumSet<Capability> set) {
    return Collections.unmodifiableSet(set);
  }
}
