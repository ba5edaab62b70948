package io.tollgate.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.keys.TenantAudit;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Prompt redaction: built-in e-mail and card rules, tenant rules, and no regex can stall the edge")
class PromptRedactorTest {

  private static final PromptRedactor BUILT_IN = PromptRedactor.of(TenantAudit.NONE);

  @Test
  @DisplayName("e-mail addresses are masked wherever they appear")
  void emails() {
    assertThat(BUILT_IN.redact("write to jane.doe+tag@mail.example.co.uk, or to bob@x.io."))
        .isEqualTo("write to [email], or to [email].");
    assertThat(BUILT_IN.redact("no address: a@b, root@localhost, @example.com, me@host.c1, x@y..com"))
        .isEqualTo("no address: a@b, root@localhost, @example.com, me@host.c1, x@y..com");
  }

  @Test
  @DisplayName("card numbers (plain, spaced, dashed) that pass the Luhn check are masked; other numbers stay")
  void cards() {
    assertThat(BUILT_IN.redact("card 4111 1111 1111 1111 or 5500-0000-0000-0004 or 378282246310005"))
        .isEqualTo("card [card] or [card] or [card]");
    assertThat(BUILT_IN.redact("order 4111111111111112 and phone 0301234567"))
        .isEqualTo("order 4111111111111112 and phone 0301234567");
  }

  @Test
  @DisplayName("a tenant's own expression masks its matches, on top of the built-in rules")
  void custom() {
    PromptRedactor r = PromptRedactor.of(new TenantAudit(true, List.of("ACCT-[0-9]{6}")));
    assertThat(r.redact("account ACCT-123456 of ann@corp.com")).isEqualTo("account [redacted] of [email]");
  }

  @Test
  @DisplayName("rules that do not compile, are too long, match nothing but empty, or backtrack catastrophically are refused by index")
  void check() {
    assertThat(PromptRedactor.check(List.of("ok[0-9]+"))).isNull();
    assertThat(PromptRedactor.check(List.of("fine", "(unclosed")).index()).isEqualTo(1);
    assertThat(PromptRedactor.check(List.of("a".repeat(300))).message()).contains("longer than");
    assertThat(PromptRedactor.check(List.of("x*")).message()).contains("empty string");
    PromptRedactor.Problem p = PromptRedactor.check(List.of("[a-z]+", "(a+)+$"));
    assertThat(p.index()).isEqualTo(1);
    assertThat(p.message()).contains("catastrophic backtracking");
    assertThat(PromptRedactor.check(java.util.Collections.nCopies(17, "a")).index()).isEqualTo(-1);
  }

  @Test
  @DisplayName("an expression that runs past its deadline yields the timed-out mark, never the text")
  void deadline() {
    // Not refused at admin time by construction here: compiled directly, as if the probes had missed it.
    PromptRedactor r = PromptRedactor.of(List.of("(x+x+)+y"), 5_000_000L);
    long start = System.nanoTime();
    String out = r.redact("x".repeat(5_000) + " secret jane@corp.com");
    assertThat(out).isEqualTo(PromptRedactor.TIMED_OUT);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
  }

  @Test
  @DisplayName("text longer than the cap is cut before redaction and marked")
  void truncated() {
    String out = BUILT_IN.redact("a".repeat(PromptRedactor.DEFAULT_MAX_TEXT_CHARS + 10));
    assertThat(out).hasSize(PromptRedactor.DEFAULT_MAX_TEXT_CHARS + PromptRedactor.TRUNCATED.length())
        .endsWith(PromptRedactor.TRUNCATED);
  }
}
