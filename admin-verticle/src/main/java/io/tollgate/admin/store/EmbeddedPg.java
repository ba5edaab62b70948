package io.tollgate.admin.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server started from the binaries shipped in a Maven artifact, for a laptop
 * run without a configured database. Its data directory is {@code <dataDir>/postgres} and is kept
 * across restarts. Starting and stopping block (initdb, pg_ctl): call them before Vert.x deploys
 * or from {@code executeBlocking}.
 */
public final class EmbeddedPg implements AutoCloseable {

  public static final String HOST = "127.0.0.1";
  public static final String USER = "postgres";
  public static final String DATABASE = "postgres";
  public static final String SUBDIRECTORY = "postgres";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPg.class);

  private final EmbeddedPostgres postgres;
  private final Path directory;

  private EmbeddedPg(EmbeddedPostgres postgres, Path directory) {
    this.postgres = postgres;
    this.directory = directory;
  }

  /**
   * Starts PostgreSQL on 127.0.0.1 with its data under {@code dataDir/postgres}.
   *
   * @param port the port to listen on, or 0 for a free one
   */
  public static EmbeddedPg start(Path dataDir, int port) {
    Path directory = dataDir.resolve(SUBDIRECTORY);
    try {
      Files.createDirectories(directory);
      EmbeddedPostgres pg = EmbeddedPostgres.builder()
          .setDataDirectory(directory)
          .setCleanDataDirectory(false)
          .setPort(port > 0 ? port : freePort())
          .setServerConfig("listen_addresses", HOST)
          // The library turns these off for throw-away test databases; this one keeps real data.
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("fsync", "on")
          .start();
      LOG.info("embedded PostgreSQL listening on {}:{}, data in {}", HOST, pg.getPort(), directory);
      return new EmbeddedPg(pg, directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL in " + directory, e);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  public Path directory() {
    return directory;
  }

  /** A {@code postgresql://} URI for vertx-pg-client ({@code PgConnectOptions.fromUri}). */
  public String uri() {
    return "postgresql://" + USER + "@" + HOST + ":" + port() + "/" + DATABASE;
  }

  /** Stops the server (a fast shutdown: committed data is kept). */
  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop embedded PostgreSQL", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    }
  }
}
