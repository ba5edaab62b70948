package io.tollgate.traffic;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The numbers behind OpenAI's {@code x-ratelimit-*} response headers. Each pair reports the
 * tightest configured window (key, tenant or gateway: whichever has the fewest left); a null field
 * means no such limit is configured and the header is left out.
 *
 * @param resetRequestsMs time until the oldest counted request leaves the window (capacity returns)
 * @param resetTokensMs   time until the oldest counted tokens leave the window
 */
public record RateLimitHeaders(Long limitRequests, Long remainingRequests, Long resetRequestsMs,
                               Long limitTokens, Long remainingTokens, Long resetTokensMs) {

  public static final RateLimitHeaders NONE = new RateLimitHeaders(null, null, null, null, null, null);

  /** Header name to value, in OpenAI's order and format (durations like {@code 1s}, {@code 6m0s}). */
  public Map<String, String> toMap() {
    Map<String, String> headers = new LinkedHashMap<>();
    if (limitRequests != null) {
      headers.put("x-ratelimit-limit-requests", Long.toString(limitRequests));
      headers.put("x-ratelimit-remaining-requests", Long.toString(remainingRequests));
      headers.put("x-ratelimit-reset-requests", duration(resetRequestsMs));
    }
    if (limitTokens != null) {
      headers.put("x-ratelimit-limit-tokens", Long.toString(limitTokens));
      headers.put("x-ratelimit-remaining-tokens", Long.toString(remainingTokens));
      headers.put("x-ratelimit-reset-tokens", duration(resetTokensMs));
    }
    return headers;
  }

  /** Go-style duration as OpenAI sends it: {@code 20ms}, {@code 1.5s}, {@code 6m0s}. */
  static String duration(long ms) {
    ms = Math.max(0, ms);
    if (ms < 1000) {
      return ms + "ms";
    }
    long minutes = ms / 60_000;
    long millis = ms % 60_000;
    String seconds = java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    return minutes > 0 ? minutes + "m" + seconds + "s" : seconds + "s";
  }
}
