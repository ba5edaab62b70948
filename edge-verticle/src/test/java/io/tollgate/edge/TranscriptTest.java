package io.tollgate.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.audit.PromptRedactor;
import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Role;
import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.Tenant;
import io.tollgate.api.keys.TenantAudit;
import io.tollgate.api.usage.AuditText;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Transcript: text is kept only for opted-in tenants and leaves the edge only redacted")
class TranscriptTest {

  static final ChatRequest CHAT = ChatRequest.builder("gpt", List.of(
      ChatMessage.of(Role.SYSTEM, "be brief"), ChatMessage.of(Role.USER, "I am bob@corp.io, card 4111111111111111")))
      .build();

  @Test
  @DisplayName("a tenant without opt-in (or unknown) gets no transcript at all")
  void noOptIn() {
    assertThat(Transcript.of(new Tenant("t", "t", true, Limits.NONE, 1), CHAT)).isNull();
    assertThat(Transcript.of(new Tenant("t", "t", true, Limits.NONE, 1, new TenantAudit(false, List.of("x+"))), CHAT))
        .isNull();
    assertThat(Transcript.of(null, CHAT)).isNull();
  }

  @Test
  @DisplayName("an opted-in tenant's prompt and the first choice's text come out redacted, built-in and own rules")
  void optedIn() {
    Transcript t = Transcript.of(new Tenant("t", "t", true, Limits.NONE, 1,
        new TenantAudit(true, List.of("be brief"))), CHAT);
    t.add(List.of(List.of(ChoiceDelta.text(0, "Hi bob@corp.io"), ChoiceDelta.text(1, "other choice"))));
    t.add(List.of(List.of(ChoiceDelta.text(0, ", noted."))));
    AuditText text = t.redacted();
    assertThat(text.prompt()).isEqualTo("system: [redacted]\nuser: I am [email], card [card]");
    assertThat(text.completion()).isEqualTo("Hi [email], noted.");
  }

  @Test
  @DisplayName("a long answer is kept only up to the cap, and stored marked as truncated")
  void capped() {
    Transcript t = Transcript.of(new Tenant("t", "t", true, Limits.NONE, 1, new TenantAudit(true, List.of())), CHAT);
    for (int i = 0; i < 100; i++) {
      t.add(List.of(List.of(ChoiceDelta.text(0, "y".repeat(1_000)))));
    }
    assertThat(t.redacted().completion()).hasSize(PromptRedactor.DEFAULT_MAX_TEXT_CHARS
        + PromptRedactor.TRUNCATED.length());
  }
}
