package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A clustered node refuses to start without the shared databases it needs")
class StartupRefusalTest {

  private static Throwable startFailure(Set<Role> roles) throws Exception {
    Settings settings = new Settings(roles, true, null, "127.0.0.1", 0, 0, 0, "127.0.0.1", "127.0.0.1", 5801,
        TestGateway.uniqueClusterName(), TestGateway.freshDataDir(), null, null, null, false, "token", null);
    Future<Tollgate> started = Tollgate.start(settings, name -> null);
    try {
      started.await(30, TimeUnit.SECONDS).close().await();
      return null;
    } catch (RuntimeException e) {
      return started.cause();
    }
  }

  @Test
  @DisplayName("an admin node in a cluster without TOLLGATE_PG_URL says so instead of starting its own database")
  void adminWithoutPostgres() throws Exception {
    assertThat(startFailure(Set.of(Role.ADMIN))).hasMessageContaining("TOLLGATE_PG_URL");
  }

  @Test
  @DisplayName("an edge node in a cluster without TOLLGATE_REDIS_URL says so instead of keeping limits to itself")
  void edgeWithoutRedis() throws Exception {
    assertThat(startFailure(Set.of(Role.EDGE))).hasMessageContaining("TOLLGATE_REDIS_URL");
  }

  @Test
  @DisplayName("a clustered admin node without an admin token says so")
  void adminWithoutToken() throws Exception {
    Settings settings = new Settings(Set.of(Role.ADMIN), true, null, "127.0.0.1", 0, 0, 0, "127.0.0.1",
        "127.0.0.1", 5801, TestGateway.uniqueClusterName(), TestGateway.freshDataDir(), null, null,
        "postgresql://postgres@127.0.0.1:1/postgres", false, null, null);
    Future<Tollgate> started = Tollgate.start(settings, name -> null);
    Throwable failure = null;
    try {
      started.await(30, TimeUnit.SECONDS).close().await();
    } catch (RuntimeException e) {
      failure = started.cause();
    }
    assertThat(failure).hasMessageContaining("TOLLGATE_ADMIN_TOKEN");
  }
}
