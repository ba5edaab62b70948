package io.tollgate.router.policy;

/**
 * One deployment's circuit breaker, fed by outcomes rather than by wrapping calls: every router node
 * applies the same published outcomes, so every node's breaker opens and closes on the same evidence.
 * Owned by one router instance's event loop (no locks). Times are nanoseconds of an injected clock.
 *
 * <p>CLOSED lets everything through. {@code failures} consecutive failures open it until
 * {@code now + cooldown}; an upstream 429 opens it at once for the rate-limit cooldown. Once the
 * cooldown is over it is HALF_OPEN: the next attempt is the probe, and while that probe is out (at
 * most one cooldown) the breaker counts as open again. A success closes it, a failure of the probe
 * opens it for another cooldown.
 */
public final class Breaker {

  /** What the admin API and metrics show. */
  public enum State {
    CLOSED("closed"), OPEN("open"), HALF_OPEN("half_open");

    private final String wire;

    State(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  private boolean open;
  private int consecutiveFailures;
  private long openedAtNanos;
  private long openUntilNanos;
  private long probeSinceNanos = -1;
  private long probeWindowNanos;

  public State state(long now) {
    if (!open) {
      return State.CLOSED;
    }
    if (now < openUntilNanos || probeOut(now)) {
      return State.OPEN;
    }
    return State.HALF_OPEN;
  }

  /** Whether a policy may choose this deployment now. */
  public boolean allows(long now) {
    return state(now) != State.OPEN;
  }

  /** A call is being sent to this deployment: if it is half-open, that call is the probe. */
  public void attempting(long now) {
    if (open && state(now) == State.HALF_OPEN) {
      probeSinceNanos = now;
    }
  }

  public void success() {
    open = false;
    consecutiveFailures = 0;
    probeSinceNanos = -1;
  }

  public void failure(long now, int threshold, long cooldownNanos) {
    consecutiveFailures++;
    if (open ? now >= openUntilNanos : consecutiveFailures >= threshold) {
      // A failed probe (or a failure that arrives after the cooldown) re-opens for a full cooldown.
      openFor(now, cooldownNanos);
    }
  }

  /** An upstream 429: out of rotation for {@code cooldownNanos} at once, whatever the count. */
  public void rateLimited(long now, long cooldownNanos) {
    consecutiveFailures++;
    if (!open || now + cooldownNanos > openUntilNanos) {
      openFor(now, cooldownNanos);
    }
  }

  private void openFor(long now, long cooldownNanos) {
    open = true;
    openedAtNanos = now;
    openUntilNanos = now + cooldownNanos;
    probeSinceNanos = -1;
    probeWindowNanos = Math.max(cooldownNanos, 1);
  }

  private boolean probeOut(long now) {
    return probeSinceNanos >= 0 && now - probeSinceNanos < probeWindowNanos;
  }

  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  /** When it last opened (meaningful only while not closed). */
  public long openedAtNanos() {
    return openedAtNanos;
  }
}
