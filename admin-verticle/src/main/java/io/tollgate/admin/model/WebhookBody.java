package io.tollgate.admin.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.tollgate.admin.AdminErrors;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;

/**
 * Body of {@code POST /admin/v1/webhooks}.
 *
 * @param secret   signs every delivery (HMAC-SHA256); optional, never answered back
 * @param events   event types wanted ({@link #EVENTS}); empty or absent: all
 * @param tenantId only this tenant's alerts (and its keys'); absent: every tenant
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record WebhookBody(String url, String secret, List<String> events, String tenantId) {

  public static final Set<String> EVENTS = Set.of("budget.threshold", "budget.spike", "key.frozen");
  public static final int MAX_URL_LENGTH = 2_048;

  public WebhookBody {
    events = events == null ? List.of() : events;
  }

  public WebhookBody validated() {
    Checks.required(url, "url");
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw AdminErrors.badRequest("url is not a valid URL: " + e.getMessage(), "url");
    }
    if (url.length() > MAX_URL_LENGTH || uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getUserInfo() != null) {
      throw AdminErrors.badRequest("url must be an absolute http(s) URL with a host, without user info, at most "
          + MAX_URL_LENGTH + " characters", "url");
    }
    if (secret != null && (secret.isEmpty() || secret.length() > 1_024)) {
      throw AdminErrors.badRequest("secret must be 1 to 1024 characters (or left out)", "secret");
    }
    for (String e : events) {
      if (e == null || !EVENTS.contains(e)) {
        throw AdminErrors.badRequest("events: unknown event '" + e
            + "' (known: budget.threshold, budget.spike, key.frozen)", "events");
      }
    }
    if (tenantId != null && tenantId.isBlank()) {
      throw AdminErrors.badRequest("tenant_id must not be blank (leave it out for every tenant)", "tenant_id");
    }
    return this;
  }
}
