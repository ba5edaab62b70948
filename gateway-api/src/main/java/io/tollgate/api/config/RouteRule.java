package io.tollgate.api.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * One rule of a model with {@code policy: rules} (a model such as {@code auto}): when every condition
 * of {@code when} holds (no {@code when}: always), the request is routed to {@code model}, another
 * configured model, under that model's own policy. Rules are tried in order; the first that matches
 * wins and its {@code name} is the reason given for the decision.
 *
 * @param name  how the decision names this rule (x-tollgate-policy-reason, outcomes, invoke)
 * @param when  the conditions, all of which must hold; null matches every request
 * @param model the target model's name or alias
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RouteRule(String name, Condition when, String model) {

  /**
   * Conditions on the request. Every field is optional; a rule matches when all given ones hold.
   *
   * @param minPromptTokens the prompt's estimated tokens (about 4 characters per token) are at least this
   * @param maxPromptTokens ... at most this
   * @param keywords        any of them appears in a user message (case-insensitive)
   * @param users           the request's {@code user} field is one of them
   * @param tenants         the calling key's tenant id is one of them
   * @param metadata        the request's {@code metadata} object has each of these keys with this value
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Condition(Integer minPromptTokens, Integer maxPromptTokens, List<String> keywords, List<String> users,
                          List<String> tenants, Map<String, String> metadata) {

    public Condition {
      keywords = keywords == null ? null : List.copyOf(keywords);
      users = users == null ? null : List.copyOf(users);
      tenants = tenants == null ? null : List.copyOf(tenants);
      metadata = metadata == null ? null : Map.copyOf(metadata);
    }
  }
}
