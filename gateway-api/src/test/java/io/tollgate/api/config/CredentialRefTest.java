package io.tollgate.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Credential references in a deployment's api_key")
class CredentialRefTest {

  @Test
  @DisplayName("reads ${VAR}, file:/path and secret:<id> as references and anything else as a literal")
  void kinds() {
    assertThat(CredentialRef.parse(" ${OPENAI_KEY} ")).isEqualTo(new CredentialRef(CredentialRef.Kind.ENV, "OPENAI_KEY"));
    assertThat(CredentialRef.parse("file:/run/secrets/openai"))
        .isEqualTo(new CredentialRef(CredentialRef.Kind.FILE, "/run/secrets/openai"));
    assertThat(CredentialRef.parse("secret:dep-1")).isEqualTo(new CredentialRef(CredentialRef.Kind.SECRET, "dep-1"));
    CredentialRef literal = CredentialRef.parse("sk-live-123");
    assertThat(literal.kind()).isEqualTo(CredentialRef.Kind.LITERAL);
    assertThat(literal.isReference()).isFalse();
    assertThat(CredentialRef.parse("  ")).isNull();
    assertThat(CredentialRef.parse(null)).isNull();
  }

  @Test
  @DisplayName("refuses malformed references without repeating the value, and never prints a literal")
  void malformed() {
    assertThatThrownBy(() -> CredentialRef.parse("file:relative/path")).hasMessageContaining("absolute path")
        .hasMessageNotContaining("relative/path");
    assertThatThrownBy(() -> CredentialRef.parse("${1BAD}")).hasMessageContaining("environment variable");
    assertThatThrownBy(() -> CredentialRef.parse("secret:")).hasMessageContaining("deployment id");
    assertThat(CredentialRef.parse("sk-live-123").toString()).doesNotContain("sk-live-123");
    assertThat(new SecretReply("d", "sk-live-123", 1).toString()).doesNotContain("sk-live-123");
  }

  @Test
  @DisplayName("a LIMITS event changes the index's global limits and nothing else")
  void limitsEvent() {
    ConfigIndex v1 = new ConfigIndex(new ConfigSnapshot(1, null, null, null));
    assertThat(v1.limits()).isEqualTo(GlobalLimits.NONE);

    ConfigIndex v2 = v1.apply(ConfigEvent.limits(2, new GlobalLimits(5L, null, null)));

    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.limits().rpm()).isEqualTo(5L);
    assertThat(v2.apply(ConfigEvent.removed(3, ConfigEvent.Kind.LIMITS, ConfigEvent.LIMITS_ID)).limits())
        .isEqualTo(GlobalLimits.NONE);
  }
}
