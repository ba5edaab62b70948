package io.tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Redact: credentials removed from upstream text before it is logged")
class RedactTest {

  @ParameterizedTest(name = "{0}")
  @DisplayName("every shape an upstream echoes a key in is removed, the words around it stay")
  @CsvSource(delimiter = '|', textBlock = """
      Incorrect API key provided: sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90.                | sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90 | Incorrect API key provided:
      Incorrect API key provided: sk-proj-********************************************abcd.    | ****abcd                                          | Incorrect API key provided:
      Incorrect API key provided: sk-abc...wxyz. You can find your API key at the dashboard.   | sk-abc                                            | You can find your API key
      invalid x-api-key: sk-ant-api03-AbCdEfGhIjKlMnOp_qrstuvwx-YZ                            | sk-ant-api03                                      | invalid x-api-key:
      the key sk-ant-api03-AbCdEfGhIjKlMnOp_qrstuvwx-YZ was revoked                           | AbCdEfGhIjKlMnOp                                  | was revoked
      upstream said Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc             | eyJhbGciOiJIUzI1NiJ9                              | upstream said Authorization:
      {"authorization": "Bearer tok_live_123456789"}                                          | tok_live_123456789                                | authorization
      got bearer abcdef0123456789 in request                                                  | abcdef0123456789                                  | in request
      Access denied due to invalid subscription key. api-key: 0123456789abcdef0123456789abcdef | 0123456789abcdef0123456789abcdef                  | Access denied
      {"api_key": "my-secret-value-42"}                                                       | my-secret-value-42                                | api_key
      API key not valid. Please pass a valid API key: AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW   | AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW           | API key not valid.
      echoed AIzaSy***********UvW back                                                        | AIzaSy***                                         | echoed
      GET https://generativelanguage.googleapis.com/v1beta/models?key=AIzaSyZZZ123&alt=sse failed | ZZZ123                                       | alt=sse failed
      GET https://example.test/v1?token=t0ps3cret failed                                       | t0ps3cret                                         | https://example.test/v1?token=
      """)
  void shapes(String text, String secretPart, String kept) {
    String out = Redact.secrets(text);

    assertThat(out).doesNotContain(secretPart.trim()).contains(Redact.MARK).contains(kept.trim());
  }

  @Test
  @DisplayName("the credential the gateway sent is removed wherever it appears, whatever its shape")
  void knownCredential() {
    assertThat(Redact.secrets("rejected key 'plain-looking-credential-99' for org", "plain-looking-credential-99"))
        .isEqualTo("rejected key '" + Redact.MARK + "' for org");
  }

  @Test
  @DisplayName("ordinary text, hosts and words that merely contain sk- are left alone")
  void harmless() {
    String text = "The server had an error at http://10.1.2.3:8000 (task-force, risk-free, desk-top); retry.";
    assertThat(Redact.secrets(text)).isEqualTo(text);
    assertThat(Redact.secrets(null)).isNull();
    assertThat(Redact.secrets("")).isEmpty();
  }
}
