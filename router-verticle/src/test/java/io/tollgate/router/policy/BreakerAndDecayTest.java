package io.tollgate.router.policy;

import static io.tollgate.router.policy.Fixtures.deployment;
import static io.tollgate.router.policy.Fixtures.failed;
import static io.tollgate.router.policy.Fixtures.feed;
import static io.tollgate.router.policy.Fixtures.model;
import static io.tollgate.router.policy.Fixtures.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.DeploymentConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.RoutingOptions;
import io.tollgate.api.routing.RoutingStats;
import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Circuit breakers, decay and reward, driven by outcomes and a hand-moved clock")
class BreakerAndDecayTest {

  /** 3 failures open, 1 s cooldown, 2 s after a 429, no decay. */
  private static final RoutingOptions BREAKER = new RoutingOptions(null, 0L, null, null, null, null, null, null, null,
      null, null, 3, 1_000L, 2_000L, null);

  private final Fixtures.FakeClock clock = new Fixtures.FakeClock();
  private final RoutingState state = new RoutingState(clock::now);
  private final Decider decider = new Decider(state, new SplittableRandom(7));
  private final ModelConfig model = model("priority", BREAKER, deployment("a", 1, 0), deployment("b", 1, 1));

  private List<String> candidates() {
    return decider.decide(model, RoutingPolicy.forName(model.policy()), false).candidates().stream()
        .map(DeploymentConfig::id).toList();
  }

  private String breaker(String id) {
    return state.stats(model, "v").deployments().stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow()
        .breaker();
  }

  @Test
  @DisplayName("consecutive failures open the breaker and every policy skips the deployment; "
      + "after the cooldown one probe goes through and a success closes it")
  void opensProbesCloses() {
    feed(state, model, "a", 0, 2);
    assertThat(breaker("a")).as("two failures are not yet three").isEqualTo("closed");
    feed(state, model, "a", 0, 1);
    assertThat(breaker("a")).isEqualTo("open");
    assertThat(candidates()).containsExactly("b");
    for (String policy : ModelConfig.KNOWN_POLICIES) {
      if (policy.equals(ModelConfig.POLICY_RULES)) {
        continue; // chooses a model, not a deployment
      }
      ModelConfig same = new ModelConfig("m", null, policy, BREAKER, model.deployments());
      assertThat(decider.decide(same, RoutingPolicy.forName(policy), false).candidates())
          .as(policy).extracting(DeploymentConfig::id).containsExactly("b");
    }

    clock.advanceMs(999);
    assertThat(breaker("a")).isEqualTo("open");
    clock.advanceMs(1);
    assertThat(breaker("a")).isEqualTo("half_open");
    assertThat(candidates()).containsExactly("a", "b");
    decider.attempting(model, "a");
    assertThat(breaker("a")).as("one probe at a time").isEqualTo("open");
    assertThat(candidates()).containsExactly("b");

    state.observe(ok("a", 100, 10), model);
    assertThat(breaker("a")).isEqualTo("closed");
    assertThat(candidates()).containsExactly("a", "b");
  }

  @Test
  @DisplayName("a failed probe opens the breaker for another full cooldown; a lost probe is retried after one cooldown")
  void failedProbe() {
    feed(state, model, "a", 0, 3);
    clock.advanceMs(1_000);
    decider.attempting(model, "a");
    state.observe(failed("a", ErrorCode.UPSTREAM_TIMEOUT), model);
    assertThat(breaker("a")).isEqualTo("open");
    clock.advanceMs(999);
    assertThat(breaker("a")).isEqualTo("open");
    clock.advanceMs(1);
    assertThat(breaker("a")).isEqualTo("half_open");

    decider.attempting(model, "a"); // this probe's outcome never arrives
    clock.advanceMs(999);
    assertThat(breaker("a")).isEqualTo("open");
    clock.advanceMs(1);
    assertThat(breaker("a")).isEqualTo("half_open");
  }

  @Test
  @DisplayName("an upstream 429 takes the deployment out at once for the rate-limit cooldown")
  void rateLimited() {
    state.observe(failed("a", ErrorCode.UPSTREAM_RATE_LIMITED), model);
    assertThat(breaker("a")).isEqualTo("open");
    clock.advanceMs(1_999);
    assertThat(candidates()).containsExactly("b");
    clock.advanceMs(1);
    assertThat(breaker("a")).isEqualTo("half_open");
  }

  @Test
  @DisplayName("an upstream 429 with Retry-After: 2 cools the deployment down for about 2 s, "
      + "whatever the configured rate-limit cooldown")
  void retryAfterCoolsDown() {
    ModelConfig shortCooldown = model("priority", new RoutingOptions(null, 0L, null, null, null, null, null, null,
        null, null, null, 3, 1_000L, 100L, null), deployment("a", 1, 0), deployment("b", 1, 1));
    state.observe(new Outcome("r", 0, "m", "a", "mock", Outcome.Status.ERROR, Usage.ZERO, 10, -1,
        ErrorCode.UPSTREAM_RATE_LIMITED, "upstream answered HTTP 429", null, null, null, BigDecimal.ZERO, 2_000),
        shortCooldown);
    clock.advanceMs(1_999);
    assertThat(decider.decide(shortCooldown, RoutingPolicy.forName("priority"), false).candidates())
        .as("still cooling down after 1.999 s though the configured cooldown is 100 ms")
        .extracting(DeploymentConfig::id).containsExactly("b");
    clock.advanceMs(1);
    assertThat(state.stats(shortCooldown, "v").deployments().get(0).breaker()).isEqualTo("half_open");
    assertThat(decider.decide(shortCooldown, RoutingPolicy.forName("priority"), false).candidates())
        .extracting(DeploymentConfig::id).containsExactly("a", "b");
  }

  @Test
  @DisplayName("failures caused by the request (a 400) or a cancelled call neither count against nor open the breaker")
  void requestFaultsIgnored() {
    for (int i = 0; i < 5; i++) {
      state.observe(failed("a", ErrorCode.UPSTREAM_BAD_REQUEST), model);
      state.observe(new Outcome("r", 0, "m", "a", "mock", Outcome.Status.CANCELLED, Usage.ZERO, 10, -1,
          ErrorCode.CANCELLED, "gone", null, null, null, BigDecimal.ZERO), model);
    }
    RoutingStats.DeploymentStats a = state.stats(model, "v").deployments().get(0);
    assertThat(a.requests()).isZero();
    assertThat(a.breaker()).isEqualTo("closed");
  }

  @Test
  @DisplayName("when every breaker is open the router still tries them all, the one opened longest ago first")
  void allOpen() {
    feed(state, model, "b", 0, 3);
    clock.advanceMs(100);
    feed(state, model, "a", 0, 3);
    Decider.Decision d = decider.decide(model, RoutingPolicy.forName("priority"), false);
    assertThat(d.candidates()).extracting(DeploymentConfig::id).containsExactly("b", "a");
    assertThat(d.decision().reason()).contains("every breaker open");
  }

  @Test
  @DisplayName("statistics lose half their weight per half-life")
  void decay() {
    RoutingOptions halfMinute = new RoutingOptions(null, 30_000L, null, null, null, null, null, null, null, null, null,
        null, null, null, null);
    ModelConfig decaying = model("thompson", halfMinute, deployment("a", 1, 0));
    feed(state, decaying, "a", 8, 4);
    clock.advanceMs(30_000);
    RoutingStats.DeploymentStats a = state.stats(decaying, "v").deployments().get(0);
    assertThat(a.requests()).isCloseTo(6, within(1e-9));
    assertThat(a.successes()).isCloseTo(4, within(1e-9));
    assertThat(a.alpha()).isCloseTo(5, within(1e-9));
    assertThat(a.beta()).isCloseTo(3, within(1e-9));
  }

  @Test
  @DisplayName("the composite reward folds latency and cost into [0, 1] with the configured weights")
  void reward() {
    RoutingOptions weighted = new RoutingOptions(null, null, null, null, null, null, 0.3, 10_000L, 0.2, 0.01, null,
        null, null, null, null);
    assertThat(weighted.reward(false, 1, 0)).isZero();
    assertThat(weighted.reward(true, 0, 0)).isEqualTo(1.0);
    assertThat(weighted.reward(true, 5_000, 0.005)).isCloseTo(1 - 0.15 - 0.1, within(1e-12));
    assertThat(weighted.reward(true, 60_000, 1)).isCloseTo(0.5, within(1e-12));
    assertThat(RoutingOptions.DEFAULTS.reward(true, 60_000, 1)).as("default: success alone").isEqualTo(1.0);
  }
}
