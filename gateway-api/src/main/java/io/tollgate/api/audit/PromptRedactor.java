package io.tollgate.api.audit;

import io.tollgate.api.keys.TenantAudit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Masks the text a tenant opted in to storing in the audit log: e-mail addresses and card numbers
 * (built in, always on: {@link BuiltIn}, hand-written linear scans, several times cheaper than the
 * equivalent expressions) and the tenant's own regular expressions. Runs on the edge that answered
 * the request, before the text goes anywhere.
 *
 * <p>A tenant's expression runs against text its users wrote, so it must not be able to stall the
 * edge's event loop: expressions are capped in number and length, checked at admin time against
 * inputs that make a backtracking expression explode, and every run has a deadline. Text is
 * truncated to {@link #DEFAULT_MAX_TEXT_CHARS} first. When a deadline passes, the whole text is
 * replaced by {@link #TIMED_OUT}: never stored unredacted.
 */
public final class PromptRedactor {

  public static final int DEFAULT_MAX_RULES = 16;
  public static final int DEFAULT_MAX_PATTERN_CHARS = 256;
  /** Longer prompts or completions are cut to this many characters before redaction. */
  public static final int DEFAULT_MAX_TEXT_CHARS = 16_384;
  /** How long all rules together may take on one text on the edge. */
  public static final long DEFAULT_BUDGET_NANOS = 25_000_000L;
  /** How long one expression may take on one probe input at admin time. */
  public static final long DEFAULT_CHECK_BUDGET_NANOS = 50_000_000L;

  public static final String EMAIL_MARK = "[email]";
  public static final String CARD_MARK = "[card]";
  public static final String MARK = "[redacted]";
  public static final String TRUNCATED = "[truncated]";
  public static final String TIMED_OUT = "[not stored: redaction took too long]";

  private static final String[] PROBES = probes();
  private static final PromptRedactor BUILT_IN = new PromptRedactor(List.of(), DEFAULT_BUDGET_NANOS);

  private final List<Pattern> custom;
  private final long budgetNanos;

  private PromptRedactor(List<Pattern> custom, long budgetNanos) {
    this.custom = custom;
    this.budgetNanos = budgetNanos;
  }

  /** The built-in rules and the tenant's (which {@link #check} accepted). */
  public static PromptRedactor of(TenantAudit audit) {
    return of(audit.redact(), DEFAULT_BUDGET_NANOS);
  }

  static PromptRedactor of(List<String> rules, long budgetNanos) {
    if (rules.isEmpty() && budgetNanos == DEFAULT_BUDGET_NANOS) {
      return BUILT_IN;
    }
    List<Pattern> compiled = new ArrayList<>(rules.size());
    for (String rule : rules) {
      compiled.add(Pattern.compile(rule));
    }
    return new PromptRedactor(List.copyOf(compiled), budgetNanos);
  }

  /**
   * Why {@code rules} cannot be used, or null if they can. Each problem names its rule by index
   * ({@code index()}, -1 for the list as a whole).
   */
  public static Problem check(List<String> rules) {
    if (rules == null) {
      return null;
    }
    if (rules.size() > DEFAULT_MAX_RULES) {
      return new Problem(-1, "at most " + DEFAULT_MAX_RULES + " redaction rules");
    }
    for (int i = 0; i < rules.size(); i++) {
      String rule = rules.get(i);
      if (rule == null || rule.isEmpty()) {
        return new Problem(i, "must be a non-empty regular expression");
      }
      if (rule.length() > DEFAULT_MAX_PATTERN_CHARS) {
        return new Problem(i, "is longer than " + DEFAULT_MAX_PATTERN_CHARS + " characters");
      }
      Pattern p;
      try {
        p = Pattern.compile(rule);
      } catch (PatternSyntaxException e) {
        return new Problem(i, "is not a valid regular expression: " + e.getDescription());
      }
      if (p.matcher("").matches()) {
        return new Problem(i, "matches the empty string, so it would mask nothing useful and everything between");
      }
      for (String probe : PROBES) {
        try {
          p.matcher(new Deadline(probe, System.nanoTime() + DEFAULT_CHECK_BUDGET_NANOS)).find();
        } catch (TimedOut e) {
          return new Problem(i, "takes too long on some inputs (catastrophic backtracking, e.g. nested "
              + "quantifiers like (a+)+): rewrite it");
        }
      }
    }
    return null;
  }

  /**
   * {@code text} cut to {@link #DEFAULT_MAX_TEXT_CHARS} with every rule's matches masked; null stays
   * null. When the rules run out of time the answer is {@link #TIMED_OUT}, never the text.
   */
  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text.length() > DEFAULT_MAX_TEXT_CHARS ? text.substring(0, DEFAULT_MAX_TEXT_CHARS) + TRUNCATED
        : text;
    long deadline = System.nanoTime() + budgetNanos;
    try {
      out = BuiltIn.cards(BuiltIn.emails(out));
      for (Pattern p : custom) {
        out = p.matcher(new Deadline(out, deadline)).replaceAll(MARK);
      }
      return out;
    } catch (TimedOut e) {
      return TIMED_OUT;
    }
  }

  static boolean luhn(CharSequence number) {
    int sum = 0;
    boolean twice = false;
    for (int i = number.length() - 1; i >= 0; i--) {
      char c = number.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (twice) {
        d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  /** Inputs on which a backtracking expression shows its exponential side: long runs, then a mismatch. */
  private static String[] probes() {
    String[] runs = {"a", "0", " ", "a ", "aa@", "a.", "ab", "1-", "x\n"};
    String[] out = new String[runs.length];
    for (int i = 0; i < runs.length; i++) {
      out[i] = runs[i].repeat(3_000 / runs[i].length()) + "!\u0000";
    }
    return out;
  }

  /** A rule that {@link #check} refused: its index in the list (-1: the list) and why. */
  public record Problem(int index, String message) {
  }

  /** Thrown when a deadline passed; stackless, it is control flow. */
  private static final class TimedOut extends RuntimeException {
    TimedOut() {
      super("redaction deadline passed", null, false, false);
    }
  }

  /**
   * The text, as the regex engine reads it, with a clock: every 1,024 reads it looks whether the
   * deadline passed. The engine reads a character per step, so this bounds any expression's run.
   */
  private static final class Deadline implements CharSequence {
    private final CharSequence text;
    private final long deadline;
    private int reads;

    Deadline(CharSequence text, long deadline) {
      this.text = text;
      this.deadline = deadline;
    }

    @Override
    public char charAt(int index) {
      if ((++reads & 1023) == 0 && System.nanoTime() - deadline > 0) {
        throw new TimedOut();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new Deadline(text.subSequence(start, end), deadline);
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
