package io.tollgate.router.policy;

import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.Role;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.RouteRule;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code rules} policy: chooses the model that serves a request to a model such as {@code auto}
 * by the first of its {@link RouteRule}s whose conditions all hold. Deterministic (propensity 1 for
 * the choice of model); the chosen model's own policy then chooses among its deployments. Each match
 * says why, for the decision's reason.
 */
public final class Rules {

  /** The rule that matched and, in words, the conditions that made it match. */
  public record Match(RouteRule rule, String why) {

    /** For {@link io.tollgate.api.routing.RouteDecision#reason()}. */
    public String reason() {
      return "rule '" + rule.name() + "' (" + why + ") chose model " + rule.model();
    }
  }

  private Rules() {
  }

  /** The first matching rule of {@code model}, or null if none matches. */
  public static Match match(ModelConfig model, ChatRequest chat, String tenantId) {
    if (model.rules() == null) {
      return null;
    }
    int promptTokens = -1;
    String userText = null;
    for (RouteRule rule : model.rules()) {
      RouteRule.Condition c = rule.when();
      if (c == null) {
        return new Match(rule, "no conditions");
      }
      StringBuilder why = new StringBuilder();
      boolean holds = true;
      if (chat == null && (c.minPromptTokens() != null || c.maxPromptTokens() != null || c.keywords() != null
          || c.users() != null || c.metadata() != null)) {
        // Embeddings and other operations have no chat to test: only tenant conditions can hold for them.
        continue;
      }
      if (c.minPromptTokens() != null || c.maxPromptTokens() != null) {
        promptTokens = promptTokens >= 0 ? promptTokens : chat.estimatedPromptTokens();
        holds = (c.minPromptTokens() == null || promptTokens >= c.minPromptTokens())
            && (c.maxPromptTokens() == null || promptTokens <= c.maxPromptTokens());
        and(why, "prompt ~" + promptTokens + " tokens");
      }
      if (holds && c.keywords() != null) {
        userText = userText != null ? userText : userText(chat);
        String found = null;
        for (String k : c.keywords()) {
          if (userText.contains(k.toLowerCase(Locale.ROOT))) {
            found = k;
            break;
          }
        }
        holds = found != null;
        and(why, "keyword '" + found + "'");
      }
      if (holds && c.users() != null) {
        holds = chat.user() != null && c.users().contains(chat.user());
        and(why, "user '" + chat.user() + "'");
      }
      if (holds && c.tenants() != null) {
        holds = tenantId != null && c.tenants().contains(tenantId);
        and(why, "tenant " + tenantId);
      }
      if (holds && c.metadata() != null) {
        Map<String, String> metadata = chat.metadata();
        for (Map.Entry<String, String> e : c.metadata().entrySet()) {
          holds = holds && e.getValue().equals(metadata.get(e.getKey()));
        }
        and(why, "metadata " + c.metadata());
      }
      if (holds) {
        return new Match(rule, why.length() == 0 ? "no conditions" : why.toString());
      }
    }
    return null;
  }

  private static void and(StringBuilder why, String what) {
    why.append(why.length() == 0 ? "" : ", ").append(what);
  }

  /** The text of the user's messages, lower-cased: keywords are looked for in what the user wrote. */
  private static String userText(ChatRequest chat) {
    StringBuilder sb = new StringBuilder();
    for (ChatMessage m : chat.messages()) {
      if (m.role() == Role.USER) {
        sb.append(m.text()).append('\n');
      }
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }
}
