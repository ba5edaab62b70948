package io.tollgate.admin.invoke;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code POST /admin/v1/models/{name}/invoke}: the {@code chat.completion} (null when
 * every deployment failed), how it was routed and every attempt on the way.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record InvokeResult(@JsonInclude(JsonInclude.Include.ALWAYS) Map<String, Object> response, Routing routing,
                           List<TraceEntry> failoverTrace, long latencyMs,
                           @JsonInclude(JsonInclude.Include.ALWAYS) UsageView usage) {

  /** The decision: which policy, why, with what propensity, and the deployment that served (null if none). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Routing(String policy, @JsonInclude(JsonInclude.Include.ALWAYS) String deploymentId,
                        @JsonInclude(JsonInclude.Include.ALWAYS) String provider, double propensity,
                        String reason, String routingVersion) {
  }

  /** One attempt: {@code status} is "ok" or "error"; {@code error_code} the gateway's code of the failure. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record TraceEntry(String deploymentId, String provider, String status,
                           @JsonInclude(JsonInclude.Include.ALWAYS) String errorCode,
                           @JsonInclude(JsonInclude.Include.ALWAYS) String message, long latencyMs) {
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record UsageView(long promptTokens, long completionTokens, long totalTokens, boolean estimated) {
  }
}
