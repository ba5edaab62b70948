package io.tollgate.api.keys;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * A tenant's audit settings. Off by default: no prompt or completion text is stored. With
 * {@code storePrompts} the edge stores both, redacted before they leave it: the built-in rules
 * (e-mail addresses, card numbers) always apply, and each of {@code redact} (a Java regular
 * expression) masks what it matches. Checked by the admin API
 * ({@link io.tollgate.api.audit.PromptRedactor#check}).
 *
 * @param storePrompts whether prompt and completion text is stored in the audit log
 * @param redact       extra regular expressions whose matches are masked; never null
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TenantAudit(boolean storePrompts, List<String> redact) {

  /** The default: nothing stored. */
  public static final TenantAudit NONE = new TenantAudit(false, List.of());

  public TenantAudit {
    redact = redact == null ? List.of() : List.copyOf(redact);
  }
}
