package io.tollgate.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.config.ConfigIndex;
import io.tollgate.api.config.ConfigSnapshot;
import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.keys.Secrets;
import io.tollgate.api.keys.Tenant;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Key auth: API keys checked against the key index")
class KeyAuthTest {

  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final String CLIENT = "203.0.113.7";

  private static final ApiKey GOOD = key("k-good", "t-on", "tg-good", true, null, null, null);
  private static final ApiKey OFF = key("k-off", "t-on", "tg-off", false, null, null, null);
  private static final ApiKey TENANT_OFF = key("k-tenant-off", "t-off", "tg-tenant-off", true, null, null, null);
  private static final ApiKey EXPIRED = key("k-exp", "t-on", "tg-exp", true, NOW, null, null);
  private static final ApiKey LATER = key("k-later", "t-on", "tg-later", true, NOW.plusSeconds(1), null, null);
  private static final ApiKey OFFICE = key("k-office", "t-on", "tg-office", true, null, List.of("10.0.0.0/8"), null);
  private static final ApiKey NO_TENANT = key("k-none", null, "tg-none", true, null, null, null);

  private static final ConfigIndex INDEX = new ConfigIndex(new ConfigSnapshot(1,
      List.of(new Tenant("t-on", "acme", true, null, 1), new Tenant("t-off", "gone", false, null, 1)),
      List.of(GOOD, OFF, TENANT_OFF, EXPIRED, LATER, OFFICE, NO_TENANT), null));

  private static ApiKey key(String id, String tenant, String secret, boolean enabled, Instant expires,
                            List<String> ipAllow, List<String> models) {
    return new ApiKey(id, tenant, id, Secrets.hash(secret), models, enabled, expires, ipAllow, null, 1);
  }

  private static ErrorCode refusal(String authorization, String ip) {
    GatewayException e = catchThrowableOfType(GatewayException.class,
        () -> KeyAuth.authenticate(INDEX, authorization, ip, NOW));
    assertThat(e).as("refused").isNotNull();
    return e.code();
  }

  @Test
  @DisplayName("a valid bearer key is accepted and returned")
  void valid() {
    assertThat(KeyAuth.authenticate(INDEX, "Bearer tg-good", CLIENT, NOW)).isEqualTo(GOOD);
    assertThat(KeyAuth.authenticate(INDEX, "Bearer tg-none", CLIENT, NOW)).as("a key without tenant")
        .isEqualTo(NO_TENANT);
  }

  @Test
  @DisplayName("the Bearer prefix is case-insensitive, and a bare secret works too")
  void bearerPrefix() {
    assertThat(KeyAuth.authenticate(INDEX, "bearer tg-good", CLIENT, NOW).id()).isEqualTo("k-good");
    assertThat(KeyAuth.authenticate(INDEX, "BEARER tg-good", CLIENT, NOW).id()).isEqualTo("k-good");
    assertThat(KeyAuth.authenticate(INDEX, "Bearer   tg-good  ", CLIENT, NOW).id()).isEqualTo("k-good");
    assertThat(KeyAuth.authenticate(INDEX, "tg-good", CLIENT, NOW).id()).isEqualTo("k-good");
  }

  @Test
  @DisplayName("a missing or blank header is MISSING_API_KEY")
  void missing() {
    assertThat(refusal(null, CLIENT)).isEqualTo(ErrorCode.MISSING_API_KEY);
    assertThat(refusal("", CLIENT)).isEqualTo(ErrorCode.MISSING_API_KEY);
    assertThat(refusal("   ", CLIENT)).isEqualTo(ErrorCode.MISSING_API_KEY);
  }

  @Test
  @DisplayName("an unknown secret is INVALID_API_KEY, and so is an empty one after Bearer")
  void unknown() {
    assertThat(refusal("Bearer tg-nope", CLIENT)).isEqualTo(ErrorCode.INVALID_API_KEY);
    assertThat(refusal("Bearer tg-GOOD", CLIENT)).as("secrets are case-sensitive")
        .isEqualTo(ErrorCode.INVALID_API_KEY);
    assertThat(refusal("Bearer ", CLIENT)).isEqualTo(ErrorCode.INVALID_API_KEY);
  }

  @Test
  @DisplayName("a disabled key or a key of a disabled tenant is KEY_DISABLED")
  void disabled() {
    assertThat(refusal("Bearer tg-off", CLIENT)).isEqualTo(ErrorCode.KEY_DISABLED);
    GatewayException tenant = catchThrowableOfType(GatewayException.class,
        () -> KeyAuth.authenticate(INDEX, "Bearer tg-tenant-off", CLIENT, NOW));
    assertThat(tenant.code()).isEqualTo(ErrorCode.KEY_DISABLED);
    assertThat(tenant.getMessage()).contains("tenant");
  }

  @Test
  @DisplayName("a key is expired from its expiry instant on, and valid just before")
  void expired() {
    assertThat(refusal("Bearer tg-exp", CLIENT)).isEqualTo(ErrorCode.KEY_EXPIRED);
    assertThat(KeyAuth.authenticate(INDEX, "Bearer tg-later", CLIENT, NOW).id()).isEqualTo("k-later");
    assertThat(catchThrowableOfType(GatewayException.class,
        () -> KeyAuth.authenticate(INDEX, "Bearer tg-later", CLIENT, NOW.plusSeconds(1))).code())
        .isEqualTo(ErrorCode.KEY_EXPIRED);
  }

  @Test
  @DisplayName("a key with an allow-list is refused from other addresses with IP_NOT_ALLOWED")
  void ipAllowList() {
    assertThat(KeyAuth.authenticate(INDEX, "Bearer tg-office", "10.20.30.40", NOW).id()).isEqualTo("k-office");
    assertThat(refusal("Bearer tg-office", CLIENT)).isEqualTo(ErrorCode.IP_NOT_ALLOWED);
  }

  @Test
  @DisplayName("a scoped key may use a model by its public name or by the alias asked for, nothing else")
  void scope() {
    ApiKey scoped = key("k-scoped", "t-on", "tg-scoped", true, null, null, List.of("gpt-4o", "fast"));

    assertThatCode(() -> KeyAuth.checkScope(scoped, "gpt-4o", "gpt-4o")).doesNotThrowAnyException();
    assertThatCode(() -> KeyAuth.checkScope(scoped, "gpt-4o", "gpt-4o-latest"))
        .as("the alias resolves to an allowed public name").doesNotThrowAnyException();
    assertThatCode(() -> KeyAuth.checkScope(scoped, "llama-3-70b", "fast"))
        .as("the alias itself is in scope").doesNotThrowAnyException();

    GatewayException e = catchThrowableOfType(GatewayException.class,
        () -> KeyAuth.checkScope(scoped, "claude", "claude-latest"));
    assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_ALLOWED);
    assertThat(e.param()).isEqualTo("model");
    assertThat(e.getMessage()).contains("claude-latest");
  }

  @Test
  @DisplayName("a key without a model list may use every model")
  void unscoped() {
    assertThatCode(() -> KeyAuth.checkScope(GOOD, "anything", "any-alias")).doesNotThrowAnyException();
  }
}
