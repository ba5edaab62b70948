package io.tollgate.traffic;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.keys.BudgetUsd;
import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.TokenQuota;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks one request is subject to, derived from its limits alone so that admission and
 * settlement (on any node, in Redis or in memory) arrive at the same keys and amounts.
 */
final class Plan {

  static final long WINDOW_MS = 60_000;
  /** Buckets of a rpm/tpm window in Redis: a request counts for 60 to 61 s (see window.lua). */
  static final int WINDOW_BUCKETS = 60;
  static final long BUCKET_MS = WINDOW_MS / WINDOW_BUCKETS;
  private static final long DAY_MS = 86_400_000L;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM");

  /** How a check counts: a window of requests, a window of amounts, or a period counter. */
  enum Type {
    COUNT("c"), SUM("s"), COUNTER("q");

    final String code;

    Type(String code) {
      this.code = code;
    }
  }

  /**
   * One limit to check and reserve against.
   *
   * @param key   the window (a HASH of buckets in Redis), or the counter
   * @param ttlMs counter expiry (0: never, for total quotas)
   */
  record Check(LimitKind kind, LimitScope scope, Type type, String key, long limit, long amount,
               long ttlMs, String limitText) {

    /** The amount this check settles to, given the real usage. */
    long actual(Settlement s) {
      return switch (type) {
        case COUNT -> amount;
        case SUM -> s.tokens();
        case COUNTER -> kind.budget() ? Pricing.toNanos(s.cost()) : s.tokens();
      };
    }
  }

  private Plan() {
  }

  static String marker(String prefix, String requestId) {
    return prefix + "res:" + requestId;
  }

  /** The index of open reservations, scored by the time after which the sweeper gives them back. */
  static String openIndex(String prefix) {
    return prefix + "open";
  }

  static String lateMarker(String prefix, String requestId) {
    return prefix + "late:" + requestId;
  }

  static List<Check> checks(AdmissionRequest r, String prefix) {
    List<Check> checks = new ArrayList<>(4);
    // Quotas and budgets first: when several limits refuse, the lasting one is the useful answer.
    periodic(checks, r, prefix, LimitScope.KEY, r.keyId(), r.keyLimits());
    if (r.tenantId() != null) {
      periodic(checks, r, prefix, LimitScope.TENANT, r.tenantId(), r.tenantLimits());
    }
    rates(checks, r, prefix, LimitScope.KEY, r.keyId(), r.keyLimits());
    if (r.tenantId() != null) {
      rates(checks, r, prefix, LimitScope.TENANT, r.tenantId(), r.tenantLimits());
    }
    rates(checks, r, prefix, LimitScope.GLOBAL, "all", r.globalLimits());
    return checks;
  }

  private static String base(LimitScope scope, String id) {
    return scope.code + ":" + id;
  }

  private static void rates(List<Check> out, AdmissionRequest r, String prefix, LimitScope scope, String id,
                            Limits limits) {
    // rpm:w / tpm:w: the windowed counters replaced sliding logs kept under rpm: and tpm:; new
    // names, so that nodes of both versions never meet the other's type during a rolling upgrade.
    if (limits.rpm() != null) {
      out.add(new Check(LimitKind.RPM, scope, Type.COUNT, prefix + "rpm:w:" + base(scope, id), limits.rpm(), 1,
          WINDOW_MS, limits.rpm() + " requests per minute"));
    }
    if (limits.tpm() != null) {
      out.add(new Check(LimitKind.TPM, scope, Type.SUM, prefix + "tpm:w:" + base(scope, id), limits.tpm(),
          r.estimatedTokens(), WINDOW_MS, limits.tpm() + " tokens per minute"));
    }
  }

  /**
   * Quota and budget counters. Keys, periods and limit texts are built only for the limits that
   * are set: most keys have none, and building all six per request was the largest allocation
   * of admission.
   */
  private static void periodic(List<Check> out, AdmissionRequest r, String prefix, LimitScope scope, String id,
                               Limits limits) {
    TokenQuota q = limits.tokenQuota();
    BudgetUsd b = limits.budgetUsd();
    if (q.daily() == null && q.monthly() == null && q.total() == null
        && b.daily() == null && b.monthly() == null && b.total() == null) {
      return;
    }
    Period p = Period.of(r.nowMs());
    String tok = prefix + "tok:" + base(scope, id);
    if (q.daily() != null) {
      tokens(out, LimitKind.TOKENS_DAILY, scope, tok + ":d:" + p.day, q.daily(), r, p.nextDay + DAY_MS - r.nowMs());
    }
    if (q.monthly() != null) {
      tokens(out, LimitKind.TOKENS_MONTHLY, scope, tok + ":m:" + p.month, q.monthly(), r,
          p.nextMonth + DAY_MS - r.nowMs());
    }
    if (q.total() != null) {
      tokens(out, LimitKind.TOKENS_TOTAL, scope, tok + ":total", q.total(), r, 0);
    }
    String usd = prefix + "usd:" + base(scope, id);
    if (b.daily() != null) {
      budget(out, LimitKind.BUDGET_DAILY, scope, usd + ":d:" + p.day, b.daily(), r, p.nextDay + DAY_MS - r.nowMs());
    }
    if (b.monthly() != null) {
      budget(out, LimitKind.BUDGET_MONTHLY, scope, usd + ":m:" + p.month, b.monthly(), r,
          p.nextMonth + DAY_MS - r.nowMs());
    }
    if (b.total() != null) {
      budget(out, LimitKind.BUDGET_TOTAL, scope, usd + ":total", b.total(), r, 0);
    }
  }

  private static void tokens(List<Check> out, LimitKind kind, LimitScope scope, String key, long limit,
                             AdmissionRequest r, long ttl) {
    out.add(new Check(kind, scope, Type.COUNTER, key, limit, r.estimatedTokens(), ttl, limit + " tokens"));
  }

  private static void budget(List<Check> out, LimitKind kind, LimitScope scope, String key, BigDecimal limit,
                             AdmissionRequest r, long ttl) {
    String text = "$" + limit.setScale(Math.max(2, limit.scale()), java.math.RoundingMode.UNNECESSARY).toPlainString();
    out.add(new Check(kind, scope, Type.COUNTER, key, Pricing.limitToNanos(limit),
        Pricing.toNanos(r.estimatedCost()), ttl, text));
  }

  /**
   * The UTC day a request falls in, with the texts and boundaries its counters need. Computed
   * once per day and shared by every thread (an immutable value behind a volatile field; a race
   * only computes the same value twice). Counters outlive their period by a day so that late
   * settlements still land on them.
   */
  private record Period(long epochDay, String day, String month, long nextDay, long nextMonth) {

    private static volatile Period current = compute(0);

    static Period of(long nowMs) {
      long epochDay = Math.floorDiv(nowMs, DAY_MS);
      Period p = current;
      if (p.epochDay != epochDay) {
        p = compute(epochDay);
        current = p;
      }
      return p;
    }

    private static Period compute(long epochDay) {
      LocalDate day = LocalDate.ofEpochDay(epochDay);
      return new Period(epochDay, day.format(DAY), day.format(MONTH), startOf(day.plusDays(1)),
          startOf(day.withDayOfMonth(1).plusMonths(1)));
    }
  }

  private static long startOf(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** When a refused request could pass again; -1 if waiting does not help. */
  static long retryAfter(Check c, long windowRetryMs, long nowMs) {
    if (c.amount() > c.limit()) {
      return -1;
    }
    LocalDate day = Instant.ofEpochMilli(nowMs).atZone(ZoneOffset.UTC).toLocalDate();
    return switch (c.kind()) {
      case RPM, TPM -> Math.max(1, windowRetryMs);
      case TOKENS_DAILY, BUDGET_DAILY -> startOf(day.plusDays(1)) - nowMs;
      case TOKENS_MONTHLY, BUDGET_MONTHLY -> startOf(day.withDayOfMonth(1).plusMonths(1)) - nowMs;
      case TOKENS_TOTAL, BUDGET_TOTAL -> -1;
    };
  }

  /**
   * An admit that came after its own settle or release (its caller had timed out and given up), or
   * a second admit of one request id: nothing was reserved.
   */
  static Decision.Refusal alreadySettled(AdmissionRequest r) {
    return new Decision.Refusal(null, null, ErrorCode.CONFLICT,
        "request " + r.requestId() + " was already settled or released: nothing reserved", -1);
  }

  static Decision.Refusal refusal(Check c, long retryAfterMs) {
    String who = c.scope().label();
    String message;
    if (c.kind().rate()) {
      message = c.amount() > c.limit() && c.type() == Type.SUM
          ? "request of " + c.amount() + " tokens exceeds the " + who + " rate limit of " + c.limitText()
          : who + " rate limit of " + c.limitText() + " exceeded";
    } else {
      message = who + " " + c.kind().label() + " of " + c.limitText() + " exhausted";
    }
    ErrorCode code = c.kind().rate() ? ErrorCode.RATE_LIMITED : ErrorCode.INSUFFICIENT_QUOTA;
    return new Decision.Refusal(c.kind(), c.scope(), code, message, retryAfterMs);
  }

  /**
   * Turns the raw outcome of a check-and-reserve into a decision.
   *
   * @param failed  index of the first refusing check, or -1
   * @param used    per check, the amount in use (after the reservation if admitted)
   * @param resetMs per window check, time until its oldest bucket (or entry) leaves the window
   */
  static Decision decide(AdmissionRequest r, List<Check> checks, Reservation.Origin origin, int failed,
                         long windowRetryMs, long[] used, long[] resetMs) {
    RateLimitHeaders headers = headers(checks, used, resetMs);
    if (failed < 0) {
      return Decision.admit(new Reservation(r, origin), headers);
    }
    Check c = checks.get(failed);
    return Decision.refuse(refusal(c, retryAfter(c, windowRetryMs, r.nowMs())), headers);
  }

  private static RateLimitHeaders headers(List<Check> checks, long[] used, long[] resetMs) {
    int req = -1;
    int tok = -1;
    for (int i = 0; i < checks.size(); i++) {
      Check c = checks.get(i);
      long left = c.limit() - used[i];
      if (c.type() == Type.COUNT && (req < 0 || left < checks.get(req).limit() - used[req])) {
        req = i;
      } else if (c.type() == Type.SUM && (tok < 0 || left < checks.get(tok).limit() - used[tok])) {
        tok = i;
      }
    }
    if (req < 0 && tok < 0) {
      return RateLimitHeaders.NONE;
    }
    return new RateLimitHeaders(
        req < 0 ? null : checks.get(req).limit(), req < 0 ? null : Math.max(0, checks.get(req).limit() - used[req]),
        req < 0 ? null : resetMs[req],
        tok < 0 ? null : checks.get(tok).limit(), tok < 0 ? null : Math.max(0, checks.get(tok).limit() - used[tok]),
        tok < 0 ? null : resetMs[tok]);
  }
}
