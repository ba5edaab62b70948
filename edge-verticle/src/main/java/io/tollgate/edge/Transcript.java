package io.tollgate.edge;

import io.tollgate.api.audit.PromptRedactor;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.ContentPart;
import io.tollgate.api.keys.Tenant;
import io.tollgate.api.keys.TenantAudit;
import io.tollgate.api.usage.AuditText;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The text of one exchange of a tenant that opted in to storing prompts
 * ({@link TenantAudit#storePrompts()}): the prompt, and the answer's text as it streams by. It
 * stays in the edge's memory; only {@link #redacted()} leaves, on the usage event. Requests of
 * every other tenant have none (a null field on the exchange), so they pay nothing for it.
 */
final class Transcript {

  private static final Logger LOG = LoggerFactory.getLogger(Transcript.class);
  /** Compiled rules per distinct setting: compiled once, not per request. Bounded by clearing. */
  private static final Map<TenantAudit, PromptRedactor> REDACTORS = new ConcurrentHashMap<>();
  private static final int MAX_REDACTORS = 1_024;
  /** Kept beyond the cap so the redactor sees the text is longer and marks it truncated. */
  private static final int KEEP = PromptRedactor.DEFAULT_MAX_TEXT_CHARS + 1;

  private final PromptRedactor redactor;
  private final String prompt;
  private final StringBuilder completion = new StringBuilder();

  private Transcript(PromptRedactor redactor, String prompt) {
    this.redactor = redactor;
    this.prompt = prompt;
  }

  /** A transcript if the tenant stores prompts, else null (the default). */
  static Transcript of(Tenant tenant, ChatRequest chat) {
    if (tenant == null || !tenant.audit().storePrompts()) {
      return null;
    }
    PromptRedactor redactor = redactor(tenant.audit());
    return redactor == null ? null : new Transcript(redactor, prompt(chat));
  }

  /** The events' text of the first choice, up to the cap. */
  void add(List<List<ChoiceDelta>> events) {
    if (completion.length() >= KEEP) {
      return;
    }
    for (List<ChoiceDelta> event : events) {
      for (ChoiceDelta d : event) {
        if (d.index() == 0 && d.content() != null) {
          completion.append(d.content(), 0, Math.min(d.content().length(), KEEP - completion.length()));
        }
      }
    }
  }

  /** Prompt and completion with the tenant's redaction applied; the only form that leaves the edge. */
  AuditText redacted() {
    return new AuditText(redactor.redact(prompt), completion.isEmpty() ? null : redactor.redact(completion.toString()));
  }

  /** {@code role: text} per message, text parts (and tool results' text) only, up to the cap. */
  static String prompt(ChatRequest chat) {
    StringBuilder out = new StringBuilder();
    for (ChatMessage m : chat.messages()) {
      if (out.length() >= KEEP) {
        break;
      }
      if (!out.isEmpty()) {
        out.append('\n');
      }
      out.append(m.role() == null ? "?" : m.role().wire()).append(": ");
      for (ContentPart p : m.content()) {
        if (p instanceof ContentPart.Text t) {
          out.append(t.text());
        } else if (p instanceof ContentPart.ToolResult r) {
          out.append(r.text());
        }
      }
    }
    return out.length() > KEEP ? out.substring(0, KEEP) : out.toString();
  }

  private static PromptRedactor redactor(TenantAudit audit) {
    PromptRedactor known = REDACTORS.get(audit);
    if (known != null) {
      return known;
    }
    try {
      PromptRedactor compiled = PromptRedactor.of(audit);
      if (REDACTORS.size() >= MAX_REDACTORS) {
        REDACTORS.clear();
      }
      REDACTORS.put(audit, compiled);
      return compiled;
    } catch (PatternSyntaxException e) {
      // The admin API refuses such rules; a rule that got in anyway means storing nothing, never unredacted text.
      LOG.warn("a tenant's audit redaction rule does not compile; its text is not stored: {}", e.getDescription());
      return null;
    }
  }
}
