package io.tollgate.launcher;

import io.tollgate.billing.alerts.AlertOptions;
import java.math.BigDecimal;
import java.util.function.Function;

/**
 * The budget alerts' settings of a billing node, from the environment:
 * {@code TOLLGATE_ALERTS_SPIKE_FACTOR} ({@code alerts.spike_factor}, default 3) and
 * {@code TOLLGATE_ALERTS_SPIKE_MIN_USD} (default 1.00). A bad value stops the node with a message.
 */
final class AlertSettings {

  private AlertSettings() {
  }

  static AlertOptions parse(Function<String, String> env) {
    double factor = AlertOptions.DEFAULT_SPIKE_FACTOR;
    BigDecimal min = AlertOptions.DEFAULT_SPIKE_MIN_USD;
    String f = env.apply("TOLLGATE_ALERTS_SPIKE_FACTOR");
    String m = env.apply("TOLLGATE_ALERTS_SPIKE_MIN_USD");
    try {
      if (f != null && !f.isBlank()) {
        factor = Double.parseDouble(f.trim());
      }
      if (m != null && !m.isBlank()) {
        min = new BigDecimal(m.trim());
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("TOLLGATE_ALERTS_SPIKE_FACTOR and TOLLGATE_ALERTS_SPIKE_MIN_USD must be "
          + "numbers (got '" + f + "', '" + m + "')");
    }
    return AlertOptions.DEFAULTS.withSpike(factor, min);
  }
}
