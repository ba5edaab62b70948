package io.tollgate.traffic;

/** Which limit refused a request. Rates are rolling one-minute windows; quotas and budgets are period counters. */
public enum LimitKind {
  RPM(true, "rate limit"),
  TPM(true, "rate limit"),
  TOKENS_DAILY(false, "daily token quota"),
  TOKENS_MONTHLY(false, "monthly token quota"),
  TOKENS_TOTAL(false, "total token quota"),
  BUDGET_DAILY(false, "daily budget"),
  BUDGET_MONTHLY(false, "monthly budget"),
  BUDGET_TOTAL(false, "total budget");

  private final boolean rate;
  private final String label;

  LimitKind(boolean rate, String label) {
    this.rate = rate;
    this.label = label;
  }

  /** Rate limits refuse with 429 {@code rate_limit_exceeded}; the others with {@code insufficient_quota}. */
  public boolean rate() {
    return rate;
  }

  /** Words for error messages, e.g. "monthly budget". */
  public String label() {
    return label;
  }

  public boolean budget() {
    return this == BUDGET_DAILY || this == BUDGET_MONTHLY || this == BUDGET_TOTAL;
  }
}
