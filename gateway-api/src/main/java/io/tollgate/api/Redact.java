package io.tollgate.api;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from text that came from an upstream (error bodies, exception messages)
 * before it is logged. Upstreams echo the key they rejected in many shapes: whole, masked
 * ({@code sk-proj-****abcd}, {@code sk-...abcd}), inside a header they quote back, or in a URL's
 * query string. Each shape is one pattern below; everything a pattern matches becomes
 * {@value #MARK}. Over-redacting a log line is cheap, leaking a key is not.
 */
public final class Redact {

  /** What a removed secret is replaced with. */
  public static final String MARK = "[redacted]";

  /** A secret part: key characters plus the {@code *} and {@code .} that masked forms use. */
  private static final String SECRET = "[A-Za-z0-9_\\-*.~+/=]+";

  /** Each pattern keeps group 1 (the label) and replaces the rest. */
  private static final List<Pattern> LABELLED = List.of(
      // Authorization: Bearer x / Basic x, also quoted as JSON ("authorization": "Bearer x").
      Pattern.compile("(?i)(\\bauthorization[\"']?\\s*[:=]\\s*[\"']?)(?:(?:bearer|basic)\\s+)?" + SECRET),
      Pattern.compile("(?i)(\\bbearer\\s+)" + SECRET),
      // api-key: x (Azure), x-api-key: x (Anthropic), x-goog-api-key, "api_key": "x".
      Pattern.compile("(?i)(\\b(?:x-goog-|x-)?api[-_]?key[\"']?\\s*[:=]\\s*[\"']?)" + SECRET),
      // ?key=x&... (Gemini), token=, access_token=, api_key= in a query string.
      Pattern.compile("(?i)([?&;](?:key|api[-_]?key|token|access_token)=)[^&\\s\"'#]+"));

  /** Keys recognisable by their prefix, whole or masked; not preceded by a word character. */
  private static final List<Pattern> BARE = List.of(
      // OpenAI (sk-, sk-proj-, sk-svcacct-), Anthropic (sk-ant-api03-), OpenRouter (sk-or-v1-) ...
      Pattern.compile("(?<![A-Za-z0-9_\\-])sk-[A-Za-z0-9_\\-*.]{4,}"),
      // Google API keys: AIza plus 35 characters; masked echoes are shorter.
      Pattern.compile("(?<![A-Za-z0-9_\\-])AIza[A-Za-z0-9_\\-*.]{8,}"));

  private Redact() {
  }

  /** The text with every recognisable credential replaced; null stays null. */
  public static String secrets(String text) {
    return secrets(text, null);
  }

  /**
   * The text with {@code known} (the credential the gateway sent, when it has one) and every
   * recognisable credential replaced.
   */
  public static String secrets(String text, String known) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    if (known != null && known.length() >= 4) {
      out = out.replace(known, MARK);
    }
    for (Pattern p : LABELLED) {
      Matcher m = p.matcher(out);
      out = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + MARK));
    }
    for (Pattern p : BARE) {
      out = p.matcher(out).replaceAll(Matcher.quoteReplacement(MARK));
    }
    return out;
  }
}
