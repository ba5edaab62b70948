package io.tollgate.admin.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/** A webhook as the admin API answers it: the secret only as whether there is one. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record WebhookView(String id, String url, List<String> events, String tenantId, boolean hasSecret,
                          Instant createdAt) {
}
