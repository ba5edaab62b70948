package io.tollgate.launcher;

import io.tollgate.api.config.ConfigIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's {@code limits.fail_closed} cannot switch a running edge's admission (it is built at
 * start), so a difference is said once per value rather than ignored.
 */
final class FailClosedNotice {

  private static final Logger LOG = LoggerFactory.getLogger(FailClosedNotice.class);

  private final boolean nodeFailClosed;
  private Boolean lastWarned;

  FailClosedNotice(boolean nodeFailClosed) {
    this.nodeFailClosed = nodeFailClosed;
  }

  /** Called on the feed's context with each new configuration. */
  void check(ConfigIndex index) {
    Boolean wanted = index.limits().failClosed();
    if (wanted == null || wanted == nodeFailClosed || wanted.equals(lastWarned)) {
      return;
    }
    lastWarned = wanted;
    LOG.warn("the cluster's limits say fail_closed={}, but this edge runs {} since its start: set "
        + "TOLLGATE_LIMITS_FAIL_CLOSED={} on this node and restart it", wanted,
        nodeFailClosed ? "fail-closed" : "fail-open (per-node approximate limits)", wanted);
  }
}
