package io.tollgate.admin.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tollgate.admin.model.KeyBody;
import io.tollgate.admin.model.ModelSpecs;
import io.tollgate.admin.model.TenantBody;
import io.tollgate.api.GatewayException;
import io.tollgate.api.config.GatewayConfig;
import io.tollgate.api.config.KeyConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.keys.ApiKey;
import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.Tenant;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the admin API's request bodies through the same parsing and validation its handlers run
 * before anything reaches the database: {@link Http}'s body readers, the bodies' {@code validated()}
 * (which {@code ConfigStore} calls), {@link ModelSpecs}, the config file reader and the bootstrap
 * keys it makes. Failures go through the admin server's one failure handler mapping
 * ({@link Failures#toError}), as on the wire. In the normal build only the seeds under
 * {@code AdminBodiesFuzzTestInputs/<method>/} run; {@code JAZZER_FUZZ=1} fuzzes one method per run.
 */
@DisplayName("The admin API's request bodies under fuzzing")
class AdminBodiesFuzzTest {

  /*
   * Properties of every target: any body is accepted or refused with a 4xx (never another status,
   * which would be a bug answered with a 500), in bounded time (the timeout, also Jazzer's
   * per-input timeout when fuzzing) and bounded heap: a fixed allowance plus a multiple of the
   * body's size, so that allocating by a number in the body (a limit, an exponent) fails.
   */
  private static final long FIXED_ALLOWANCE = 4L << 20;
  private static final long PER_INPUT_BYTE = 512;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static final Tenant TENANT = new Tenant("tn_1", "team-a", true, null, 3);
  private static final ApiKey KEY = new ApiKey("key_1", "tn_1", "ci", "hash", List.of("gpt-4o"), true,
      Instant.parse("2030-01-01T00:00:00Z"), List.of("10.0.0.0/8"), new Limits(60L, 1000L, null, null, null), 4);

  @BeforeAll
  static void warmUp() {
    // Jackson builds its deserializers on first use: a one-off cost, not a body's.
    for (Runnable r : List.<Runnable>of(
        () -> tenant(Buffer.buffer("{\"name\":\"t\"}")),
        () -> tenantPatch(Buffer.buffer("{\"enabled\":false}")),
        () -> key(Buffer.buffer("{\"tenant_id\":\"t\",\"name\":\"k\"}")),
        () -> keyPatch(Buffer.buffer("{\"rpm\":1}")),
        () -> model(Buffer.buffer("{\"name\":\"m\",\"deployments\":[{\"id\":\"d\",\"provider\":\"mock\"}]}")),
        () -> config(Buffer.buffer("models: []\nkeys: [{name: k, secret: s}]\n")))) {
      r.run();
    }
  }

  static void tenant(Buffer body) {
    Http.body(body, TenantBody.class).validated();
  }

  static void tenantPatch(Buffer body) {
    Http.merge(TenantBody.of(TENANT), Http.patch(body, TenantRoutes.PATCHABLE), TenantBody.class).validated();
  }

  static void key(Buffer body) {
    Http.body(body, KeyBody.class).validated().toKey("key_2", "hash", 1);
  }

  static void keyPatch(Buffer body) {
    Http.merge(KeyBody.of(KEY), Http.patch(body, KeyRoutes.PATCHABLE), KeyBody.class).validated();
  }

  static void model(Buffer body) {
    ModelConfig model = ModelRoutes.parse(Http.object(body));
    ModelSpecs.masked(ModelSpecs.unmasked(model, null, ""));
  }

  static void config(Buffer body) {
    GatewayConfig config = ConfigRoutes.parse(body);
    for (ModelConfig m : config.models()) {
      ModelSpecs.unmasked(m, null, "models[0].");
    }
    for (KeyConfig k : config.keys()) {
      KeyBody.bootstrap("tn_default", k, null);
    }
  }

  private static void check(byte[] bytes, Consumer<Buffer> target) {
    long budget = FIXED_ALLOWANCE + PER_INPUT_BYTE * bytes.length;
    long allocated = run(bytes, target);
    if (allocated > budget) {
      // The first body down a new path loads (and, fuzzing, instruments) classes: judge a rerun.
      allocated = run(bytes, target);
    }
    assertThat(allocated).as("bytes allocated for a body of %d bytes", bytes.length).isLessThanOrEqualTo(budget);
  }

  private static long run(byte[] bytes, Consumer<Buffer> target) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    try {
      target.accept(Buffer.buffer(bytes));
    } catch (RuntimeException e) {
      GatewayException error = Failures.toError(e);
      assertThat(error.code().status()).as("status for %s", e).isBetween(400, 499);
    }
    return THREADS.getCurrentThreadAllocatedBytes() - before;
  }

  @FuzzTest(maxDuration = "5m")
  @DictionaryEntries({"\"name\":", "\"enabled\":", "\"limits\":", "\"rpm\":", "\"tpm\":", "\"token_quota\":",
      "\"budget_usd\":", "\"daily\":", "\"monthly\":", "\"total\":", "\"concurrency\":", "\"tenant_id\":",
      "\"models\":", "\"expires_at\":", "\"ip_allow\":", "\"deployments\":", "\"id\":", "\"provider\":",
      "\"api_key\":", "\"aliases\":", "\"policy\":", "\"weight\":", "\"priority\":", "\"timeouts\":",
      "\"input_price_per_mtok\":", "\"keys\":", "\"secret\":", "\"********\"", "\"2030-01-01T00:00:00Z\"",
      "\"10.0.0.0/8\"", "\"::1\"", "1e999999999", "-0.0", "2147483648", "null", "true", "- ", ": ", "&a ", "*a",
      "!!binary ", "{", "}", "[", "]"})
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @DisplayName("POST /admin/v1/tenants: a tenant or a 4xx")
  void tenants(byte[] body) {
    check(body, AdminBodiesFuzzTest::tenant);
  }

  @FuzzTest(maxDuration = "5m")
  @DictionaryEntries({"\"name\":", "\"enabled\":", "\"limits\":", "\"rpm\":", "\"tpm\":", "\"token_quota\":",
      "\"budget_usd\":", "\"daily\":", "\"monthly\":", "\"total\":", "\"concurrency\":", "\"tenant_id\":",
      "\"models\":", "\"expires_at\":", "\"ip_allow\":", "\"deployments\":", "\"id\":", "\"provider\":",
      "\"api_key\":", "\"aliases\":", "\"policy\":", "\"weight\":", "\"priority\":", "\"timeouts\":",
      "\"input_price_per_mtok\":", "\"keys\":", "\"secret\":", "\"********\"", "\"2030-01-01T00:00:00Z\"",
      "\"10.0.0.0/8\"", "\"::1\"", "1e999999999", "-0.0", "2147483648", "null", "true", "- ", ": ", "&a ", "*a",
      "!!binary ", "{", "}", "[", "]"})
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @DisplayName("PATCH /admin/v1/tenants/{id}: a changed tenant or a 4xx")
  void tenantPatches(byte[] body) {
    check(body, AdminBodiesFuzzTest::tenantPatch);
  }

  @FuzzTest(maxDuration = "5m")
  @DictionaryEntries({"\"name\":", "\"enabled\":", "\"limits\":", "\"rpm\":", "\"tpm\":", "\"token_quota\":",
      "\"budget_usd\":", "\"daily\":", "\"monthly\":", "\"total\":", "\"concurrency\":", "\"tenant_id\":",
      "\"models\":", "\"expires_at\":", "\"ip_allow\":", "\"deployments\":", "\"id\":", "\"provider\":",
      "\"api_key\":", "\"aliases\":", "\"policy\":", "\"weight\":", "\"priority\":", "\"timeouts\":",
      "\"input_price_per_mtok\":", "\"keys\":", "\"secret\":", "\"********\"", "\"2030-01-01T00:00:00Z\"",
      "\"10.0.0.0/8\"", "\"::1\"", "1e999999999", "-0.0", "2147483648", "null", "true", "- ", ": ", "&a ", "*a",
      "!!binary ", "{", "}", "[", "]"})
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @DisplayName("POST /admin/v1/keys: a key or a 4xx")
  void keys(byte[] body) {
    check(body, AdminBodiesFuzzTest::key);
  }

  @FuzzTest(maxDuration = "5m")
  @DictionaryEntries({"\"name\":", "\"enabled\":", "\"limits\":", "\"rpm\":", "\"tpm\":", "\"token_quota\":",
      "\"budget_usd\":", "\"daily\":", "\"monthly\":", "\"total\":", "\"concurrency\":", "\"tenant_id\":",
      "\"models\":", "\"expires_at\":", "\"ip_allow\":", "\"deployments\":", "\"id\":", "\"provider\":",
      "\"api_key\":", "\"aliases\":", "\"policy\":", "\"weight\":", "\"priority\":", "\"timeouts\":",
      "\"input_price_per_mtok\":", "\"keys\":", "\"secret\":", "\"********\"", "\"2030-01-01T00:00:00Z\"",
      "\"10.0.0.0/8\"", "\"::1\"", "1e999999999", "-0.0", "2147483648", "null", "true", "- ", ": ", "&a ", "*a",
      "!!binary ", "{", "}", "[", "]"})
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @DisplayName("PATCH /admin/v1/keys/{id}: a changed key or a 4xx")
  void keyPatches(byte[] body) {
    check(body, AdminBodiesFuzzTest::keyPatch);
  }

  @FuzzTest(maxDuration = "5m")
  @DictionaryEntries({"\"name\":", "\"enabled\":", "\"limits\":", "\"rpm\":", "\"tpm\":", "\"token_quota\":",
      "\"budget_usd\":", "\"daily\":", "\"monthly\":", "\"total\":", "\"concurrency\":", "\"tenant_id\":",
      "\"models\":", "\"expires_at\":", "\"ip_allow\":", "\"deployments\":", "\"id\":", "\"provider\":",
      "\"api_key\":", "\"aliases\":", "\"policy\":", "\"weight\":", "\"priority\":", "\"timeouts\":",
      "\"input_price_per_mtok\":", "\"keys\":", "\"secret\":", "\"********\"", "\"2030-01-01T00:00:00Z\"",
      "\"10.0.0.0/8\"", "\"::1\"", "1e999999999", "-0.0", "2147483648", "null", "true", "- ", ": ", "&a ", "*a",
      "!!binary ", "{", "}", "[", "]"})
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @DisplayName("POST and PUT /admin/v1/models: a model or a 4xx")
  void models(byte[] body) {
    check(body, AdminBodiesFuzzTest::model);
  }

  @FuzzTest(maxDuration = "5m")
  @DictionaryEntries({"\"name\":", "\"enabled\":", "\"limits\":", "\"rpm\":", "\"tpm\":", "\"token_quota\":",
      "\"budget_usd\":", "\"daily\":", "\"monthly\":", "\"total\":", "\"concurrency\":", "\"tenant_id\":",
      "\"models\":", "\"expires_at\":", "\"ip_allow\":", "\"deployments\":", "\"id\":", "\"provider\":",
      "\"api_key\":", "\"aliases\":", "\"policy\":", "\"weight\":", "\"priority\":", "\"timeouts\":",
      "\"input_price_per_mtok\":", "\"keys\":", "\"secret\":", "\"********\"", "\"2030-01-01T00:00:00Z\"",
      "\"10.0.0.0/8\"", "\"::1\"", "1e999999999", "-0.0", "2147483648", "null", "true", "- ", ": ", "&a ", "*a",
      "!!binary ", "{", "}", "[", "]"})
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @DisplayName("PUT /admin/v1/config (YAML or JSON): a config or a 4xx")
  void configImports(byte[] body) {
    check(body, AdminBodiesFuzzTest::config);
  }
}
