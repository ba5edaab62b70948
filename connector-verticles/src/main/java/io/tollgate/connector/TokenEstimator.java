package io.tollgate.connector;

import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;

/**
 * Token counts for when the upstream reports none (cancelled or failed streams, upstreams without
 * usage): about four characters per prompt token, and one completion token per relayed content
 * or tool-call delta, which is how providers stream.
 */
public final class TokenEstimator {

  private static final int CHARS_PER_TOKEN = 4;

  private TokenEstimator() {
  }

  /** ceil(total message text characters / 4). */
  public static int promptTokens(ChatRequest chat) {
    long chars = 0;
    for (ChatMessage m : chat.messages()) {
      chars += m.text().length();
    }
    return (int) Math.min(Integer.MAX_VALUE, (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN);
  }
}
