package io.tollgate.launcher;

import io.tollgate.admin.store.EmbeddedPg;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared databases for trying a cluster on one machine without installing any: the embedded
 * PostgreSQL (data in {@code $TOLLGATE_DATA_DIR/postgres}) on 127.0.0.1:55432 and the embedded Redis
 * on 127.0.0.1:56379, until killed. Not for production: use real servers there.
 *
 * <pre>java -cp launcher/target/tollgate.jar io.tollgate.launcher.DevServices</pre>
 */
public final class DevServices {

  private static final Logger LOG = LoggerFactory.getLogger(DevServices.class);
  static final int PG_PORT = 55432;
  static final int REDIS_PORT = 56379;

  private DevServices() {
  }

  public static void main(String[] args) throws InterruptedException {
    Path dataDir = Path.of(System.getenv().getOrDefault("TOLLGATE_DATA_DIR", Settings.DEFAULT_DATA_DIR));
    EmbeddedPg postgres = EmbeddedPg.start(dataDir, PG_PORT);
    EmbeddedRedisServer redis = EmbeddedRedisServer.start(REDIS_PORT);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      redis.stop();
      postgres.close();
      stopped.countDown();
    }, "dev-services-stop"));
    LOG.info("dev services up: TOLLGATE_PG_URL={} TOLLGATE_REDIS_URL={}", postgres.uri(), redis.url());
    stopped.await();
  }
}
