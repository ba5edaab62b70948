package io.tollgate.api.chat;

/**
 * A piece of streamed reasoning: text, the signature that closes a thinking block, or a whole
 * redacted block. Any of the three may be set.
 */
public record ReasoningDelta(String text, String signature, String redacted) {
}
