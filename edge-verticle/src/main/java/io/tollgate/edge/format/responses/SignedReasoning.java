package io.tollgate.edge.format.responses;

import static io.tollgate.edge.format.JsonFields.invalid;

import io.tollgate.api.chat.ContentPart;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Signed reasoning (Anthropic's thinking block: its text and the signature over it) carried
 * through a Responses client in the reasoning item's {@code encrypted_content}, the field the
 * Responses API has for opaque reasoning state a stateless client sends back. Anthropic refuses a
 * tool-use turn whose thinking came back without its signature, and checks the signature against
 * the exact text, so both travel together here; the item's readable {@code content} is for the
 * client only.
 */
final class SignedReasoning {

  /** Marks the gateway's encoding; any other {@code encrypted_content} is the upstream's own opaque form. */
  static final String PREFIX = "tg1.thinking.";

  private SignedReasoning() {
  }

  static String encode(String text, String signature) {
    String json = new JsonObject().put("thinking", text).put("signature", signature).encode();
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The signed reasoning, or null when {@code encrypted} is not the gateway's encoding; a damaged one is a 400. */
  static ContentPart.Reasoning decode(String encrypted, String field) {
    if (!encrypted.startsWith(PREFIX)) {
      return null;
    }
    try {
      JsonObject json = new JsonObject(new String(
          Base64.getUrlDecoder().decode(encrypted.substring(PREFIX.length())), StandardCharsets.UTF_8));
      if (json.getValue("thinking") instanceof String text && json.getValue("signature") instanceof String signature) {
        return new ContentPart.Reasoning(text, signature, null);
      }
    } catch (RuntimeException damaged) {
      // Falls through to the 400: the client changed what it was given.
    }
    throw invalid(field, "is not the encrypted_content this gateway returned (send it back unchanged)");
  }
}
