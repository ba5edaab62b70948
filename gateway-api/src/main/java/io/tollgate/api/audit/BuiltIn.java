package io.tollgate.api.audit;

/**
 * The always-on redaction rules as linear scans: e-mail addresses ({@code local@domain.tld}) become
 * {@link PromptRedactor#EMAIL_MARK}, runs of 13 to 19 digits (single spaces or dashes between them
 * allowed) that pass the Luhn check become {@link PromptRedactor#CARD_MARK}. Text without an
 * {@code @} or without digits is returned as it is, without a copy.
 */
final class BuiltIn {

  private static final int MIN_CARD = 13;
  private static final int MAX_CARD = 19;

  private BuiltIn() {
  }

  static String emails(String text) {
    int at = text.indexOf('@');
    if (at < 0) {
      return text;
    }
    StringBuilder out = null;
    int copied = 0;
    while (at >= 0) {
      int start = at;
      while (start > copied && local(text.charAt(start - 1))) {
        start--;
      }
      int end = start < at ? domainEnd(text, at + 1) : -1;
      if (end > 0) {
        if (out == null) {
          out = new StringBuilder(text.length());
        }
        out.append(text, copied, start).append(PromptRedactor.EMAIL_MARK);
        copied = end;
      }
      at = text.indexOf('@', Math.max(at + 1, copied));
    }
    return out == null ? text : out.append(text, copied, text.length()).toString();
  }

  /** Where a domain ({@code label.label...tld}, the tld of 2+ letters) starting at {@code from} ends, or -1. */
  private static int domainEnd(String text, int from) {
    int end = from;
    while (end < text.length() && (label(text.charAt(end)) || text.charAt(end) == '.')) {
      end++;
    }
    // The longest prefix ending in ".letters" (2+) with no empty label: "x.io." -> "x.io".
    while (end > from) {
      int dot = text.lastIndexOf('.', end - 1);
      if (dot <= from) {
        return -1;
      }
      if (end - dot - 1 >= 2 && letters(text, dot + 1, end) && !text.substring(from, end).contains("..")) {
        return end;
      }
      end = dot;
    }
    return -1;
  }

  static String cards(String text) {
    int n = text.length();
    StringBuilder out = null;
    int copied = 0;
    int i = 0;
    while (i < n) {
      if (!digit(text.charAt(i))) {
        i++;
        continue;
      }
      int count = 0;
      int j = i;
      int lastDigit = i;
      while (j < n) {
        char c = text.charAt(j);
        if (digit(c)) {
          count++;
          lastDigit = j;
          j++;
        } else if ((c == ' ' || c == '-') && j + 1 < n && digit(text.charAt(j + 1))) {
          j++;
        } else {
          break;
        }
      }
      int end = lastDigit + 1;
      if (count >= MIN_CARD && count <= MAX_CARD && PromptRedactor.luhn(text.subSequence(i, end))) {
        if (out == null) {
          out = new StringBuilder(n);
        }
        out.append(text, copied, i).append(PromptRedactor.CARD_MARK);
        copied = end;
      }
      i = end;
    }
    return out == null ? text : out.append(text, copied, n).toString();
  }

  private static boolean local(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || digit(c) || c == '.' || c == '_' || c == '%' || c == '+'
        || c == '-';
  }

  private static boolean label(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || digit(c) || c == '-';
  }

  private static boolean letters(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
        return false;
      }
    }
    return true;
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }
}
