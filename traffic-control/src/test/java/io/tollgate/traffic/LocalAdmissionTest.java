package io.tollgate.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.keys.BudgetUsd;
import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.TokenQuota;
import java.math.BigDecimal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Local limits (what a node enforces while Redis is down)")
class LocalAdmissionTest {

  private final LocalAdmission local = Admission.local(new TrafficOptions());
  private final long start = System.currentTimeMillis();

  private Decision admit(String key, Limits limits, long tokens, long now) {
    return local.admitNow(RedisFixture.request(key, limits, tokens, null, now));
  }

  @Test
  @DisplayName("the same sliding window as Redis: full until the oldest request is a minute old")
  void slidingWindow() {
    Limits limits = new Limits(3L, null, null, null);
    for (int i = 0; i < 3; i++) {
      assertThat(admit("k", limits, 1, start + i * 1000).admitted()).isTrue();
    }
    Decision refused = admit("k", limits, 1, start + 59_000);
    assertThat(refused.refusal().kind()).isEqualTo(LimitKind.RPM);
    assertThat(refused.refusal().retryAfterMs()).isEqualTo(1_000);
    assertThat(admit("k", limits, 1, start + 60_000).admitted()).isTrue();
    assertThat(admit("k", limits, 1, start + 60_001).admitted()).isFalse();
  }

  @Test
  @DisplayName("tpm and budgets settle to the real usage, once")
  void settle() {
    Limits limits = new Limits(null, 1000L, new TokenQuota(5000L, null, null), new BudgetUsd(null, null, BigDecimal.ONE));
    AdmissionRequest r = new AdmissionRequest("r1", "k", null, limits, null, null, 900, new BigDecimal("0.9"), start);
    Decision d = local.admitNow(r);
    Decision over = local.admitNow(RedisFixture.request("k", limits, 50, new BigDecimal("0.2"), start + 1));
    assertThat(over.refusal().kind()).isEqualTo(LimitKind.BUDGET_TOTAL);
    assertThat(over.refusal().message()).isEqualTo("key total budget of $1.00 exhausted");
    local.settle(d.reservation(), new Settlement(100, new BigDecimal("0.1")));
    local.settle(d.reservation(), new Settlement(100, new BigDecimal("0.1")));
    assertThat(local.used("tg:tpm:w:k:k")).isEqualTo(100);
    assertThat(local.used("tg:usd:k:k:total")).isEqualTo(100_000_000);
    assertThat(admit("k", limits, 900, start + 2).admitted()).isTrue();
  }

  @Test
  @DisplayName("purging forgets windows that have emptied")
  void purge() {
    admit("k", new Limits(3L, 100L, null, null), 10, start);
    local.purge(start + 60_000, 1000);
    assertThat(local.used("tg:rpm:w:k:k")).isZero();
    assertThat(local.used("tg:tpm:w:k:k")).isZero();
  }
}
