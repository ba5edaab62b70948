package io.tollgate.edge.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.codec.Wire;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Cache keys: {@code <prefix>chat:<tenant>:<sha256>} and {@code <prefix>emb:<tenant>:<sha256>}.
 * The tenant is part of the key itself, so no hash collision and no request can reach another
 * tenant's entries. The hash is over a version tag and deterministic bytes of what determines the
 * answer.
 *
 * <p>A chat request's bytes are the canonical request as JSON (the event bus's own mapping, with
 * map entries sorted so that {@code metadata} and {@code extra} do not depend on hash order),
 * without the fields that cannot change the answer: {@code stream} and {@code include_usage}
 * (how it is delivered) and {@code user} (OpenAI's end-user id, for abuse monitoring). Everything
 * else counts, including the inbound dialect (a cached answer is replayed in the format it was
 * asked in, and dialect-only parameters reach only a same-dialect upstream), the model name as the
 * client wrote it (it is echoed in the answer) and {@code metadata} (routing rules may test it, so
 * it can choose another model).
 */
final class CacheKeys {

  /** Bumped when the canonical bytes change meaning, so old entries are simply never found. */
  static final String VERSION = "v1";

  private static final ObjectMapper CANONICAL = Wire.MAPPER.copy()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private CacheKeys() {
  }

  static String chat(String prefix, String tenantId, ChatRequest chat) {
    return prefix + "chat:" + tenantId + ':' + sha256(canonicalBytes(chat));
  }

  /**
   * An embedding's key: the model (the configured name, so aliases share), what shapes the vector
   * besides the model ({@code variant}, e.g. the requested dimensions), and the input item.
   */
  static String embedding(String prefix, String tenantId, String model, String variant, String item) {
    byte[] bytes = (VERSION + '\n' + model + '\n' + (variant == null ? "" : variant) + '\n' + item)
        .getBytes(StandardCharsets.UTF_8);
    return prefix + "emb:" + tenantId + ':' + sha256(bytes);
  }

  /** The deterministic bytes of what determines a chat answer (see the class comment). */
  static byte[] canonicalBytes(ChatRequest chat) {
    ChatRequest canonical = chat.toBuilder().stream(false).includeUsage(false).user(null).build();
    try {
      byte[] json = CANONICAL.writeValueAsBytes(canonical);
      byte[] tag = (VERSION + '\n').getBytes(StandardCharsets.US_ASCII);
      byte[] out = new byte[tag.length + json.length];
      System.arraycopy(tag, 0, out, 0, tag.length);
      System.arraycopy(json, 0, out, tag.length, json.length);
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a chat request for its cache key", e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
