package io.tollgate.admin.support;

import io.tollgate.admin.store.EmbeddedPg;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real PostgreSQL for tests: a Testcontainers one when Docker is available, the embedded one
 * (the same the launcher uses) otherwise.
 */
public final class TestPostgres implements AutoCloseable {

  private static final String IMAGE = "postgres:16-alpine";

  private final EmbeddedPg embedded;
  private final PostgreSQLContainer container;

  private TestPostgres(EmbeddedPg embedded, PostgreSQLContainer container) {
    this.embedded = embedded;
    this.container = container;
  }

  public static TestPostgres start(Path dataDir) {
    if (dockerAvailable()) {
      PostgreSQLContainer c = new PostgreSQLContainer(IMAGE);
      c.start();
      return new TestPostgres(null, c);
    }
    return new TestPostgres(EmbeddedPg.start(dataDir, 0), null);
  }

  private static boolean dockerAvailable() {
    // Asking Testcontainers costs seconds when there is plainly no Docker to find.
    if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** A {@code postgresql://} URI of the default database. */
  public String uri() {
    if (container != null) {
      return "postgresql://" + container.getUsername() + ":" + container.getPassword() + "@" + container.getHost()
          + ":" + container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT) + "/" + container.getDatabaseName();
    }
    return embedded.uri();
  }

  @Override
  public void close() {
    if (container != null) {
      container.stop();
    } else {
      embedded.close();
    }
  }
}
