package io.tollgate.edge.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The external channel's signature and sanitizing")
class RequestSignatureTest {

  private static final byte[] BODY = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SECRET = "tgs-example-secret".getBytes(StandardCharsets.UTF_8);
  /** Computed with Python's hmac and hashlib (the README's helper), not with this code. */
  private static final String EXPECTED = "2fab864b877145e77095d75212f270cfb4333a857ed4543bf4b863b76fb17672";

  @Test
  @DisplayName("the signature matches an independently computed HMAC-SHA256 of the documented string")
  void knownVector() {
    assertThat(RequestSignature.sign("tgs-example-secret", "POST", "/v1/chat/completions", "1700000000",
        "0123456789abcdef", BODY)).isEqualTo(EXPECTED);
    assertThat(RequestSignature.canonical("GET", "/v1/models", "1", "n", new byte[0]))
        .endsWith("\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  @DisplayName("any change to method, path, timestamp, nonce, body or secret breaks the match; junk never matches")
  void matches() {
    assertThat(matches(SECRET, "POST", "/v1/chat/completions", "1700000000", "0123456789abcdef", BODY, EXPECTED))
        .isTrue();
    assertThat(matches(SECRET, "POST", "/v1/chat/completions", "1700000000", "0123456789abcdef", BODY,
        EXPECTED.toUpperCase())).as("hex case does not matter").isTrue();
    assertThat(matches(SECRET, "GET", "/v1/chat/completions", "1700000000", "0123456789abcdef", BODY, EXPECTED))
        .isFalse();
    assertThat(matches(SECRET, "POST", "/v1/embeddings", "1700000000", "0123456789abcdef", BODY, EXPECTED)).isFalse();
    assertThat(matches(SECRET, "POST", "/v1/chat/completions", "1700000001", "0123456789abcdef", BODY, EXPECTED))
        .isFalse();
    assertThat(matches(SECRET, "POST", "/v1/chat/completions", "1700000000", "0123456789abcdeF", BODY, EXPECTED))
        .isFalse();
    assertThat(matches(SECRET, "POST", "/v1/chat/completions", "1700000000", "0123456789abcdef",
        "{\"model\":\"n\"}".getBytes(StandardCharsets.UTF_8), EXPECTED)).isFalse();
    assertThat(matches("tgs-other".getBytes(StandardCharsets.UTF_8), "POST", "/v1/chat/completions", "1700000000",
        "0123456789abcdef", BODY, EXPECTED)).isFalse();
    assertThat(matches(SECRET, "POST", "/v1/chat/completions", "1700000000", "0123456789abcdef", BODY, "zz"))
        .isFalse();
    assertThat(matches(SECRET, "POST", "/v1/chat/completions", "1700000000", "0123456789abcdef", BODY,
        EXPECTED.substring(0, 62))).isFalse();
  }

  @Test
  @DisplayName("sanitizing drops every gateway header and replaces internal failure messages, keeping the code")
  void sanitizing() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Tollgate-Route", "secret-deployment")
        .add("x-tollgate-overhead-ms", "0.2").add("x-request-id", "r1").add("content-type", "application/json");
    ExternalAnswers.strip(headers);
    assertThat(headers.names()).containsExactlyInAnyOrder("x-request-id", "content-type");

    GatewayException upstream = new GatewayException(ErrorCode.UPSTREAM_ERROR, "azure-eu-2 said 500: quota");
    GatewayException shown = ExternalAnswers.shown(upstream);
    assertThat(shown.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(shown.getMessage()).doesNotContain("azure");
    GatewayException limited = new GatewayException(ErrorCode.RATE_LIMITED, "tenant team-a rpm 100 reached", null,
        2_000);
    assertThat(ExternalAnswers.shown(limited).getMessage()).doesNotContain("team-a");
    assertThat(ExternalAnswers.shown(limited).retryAfterMs()).isEqualTo(2_000);
    GatewayException own = new GatewayException(ErrorCode.SIGNATURE_INVALID, "x-tollgate-signature does not match");
    assertThat(ExternalAnswers.shown(own)).isSameAs(own);
  }

  private static boolean matches(byte[] secret, String method, String path, String ts, String nonce, byte[] body,
                                 String signature) {
    return RequestSignature.matches(secret, method, path, ts, nonce, body, signature);
  }
}
