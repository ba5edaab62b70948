package io.tollgate.launcher;

import io.tollgate.admin.store.EmbeddedPg;
import io.tollgate.api.config.StorageConfig;
import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded defaults: a real Redis (and PostgreSQL) started in-process when a node needs one
 * and none is configured. Only for a single JVM: clustered nodes must share their databases, so a
 * {@code --cluster} node without a configured URL refuses to start. Starting them blocks, so it
 * happens before Vert.x runs.
 */
final class EmbeddedServices {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServices.class);

  private EmbeddedRedisServer redis;
  private String redisUrl;
  private EmbeddedPg postgres;
  private String pgUrl;

  /** Environment variables win over the config file's {@code storage}. */
  static EmbeddedServices start(Settings settings, StorageConfig fromFile) {
    EmbeddedServices services = new EmbeddedServices();
    try {
      if (settings.roles().contains(Role.EDGE)) {
        services.redisUrl = settings.redisUrl() != null ? settings.redisUrl() : fromFile.redisUrl();
        if (services.redisUrl == null) {
          if (settings.cluster()) {
            throw new IllegalArgumentException("an edge node in a cluster needs the cluster's shared Redis for its "
                + "limits: set TOLLGATE_REDIS_URL (redis://host:port)");
          }
          services.redis = EmbeddedRedisServer.start();
          services.redisUrl = services.redis.url();
          LOG.info("started embedded Redis at {}", services.redisUrl);
        }
      }
      if (needsPostgres(settings)) {
        services.pgUrl = settings.pgUrl() != null ? settings.pgUrl() : fromFile.postgresUrl();
        if (services.pgUrl == null) {
          if (settings.cluster()) {
            throw new IllegalArgumentException("an admin, billing or audit node in a cluster needs the cluster's "
                + "shared PostgreSQL: set TOLLGATE_PG_URL (postgresql://user:password@host:port/database)");
          }
          services.postgres = EmbeddedPg.start(settings.dataDir(), 0);
          services.pgUrl = services.postgres.uri();
          LOG.info("started embedded PostgreSQL on port {} with data in {}", services.postgres.port(),
              services.postgres.directory());
        }
      }
      return services;
    } catch (RuntimeException e) {
      services.stop();
      throw e;
    }
  }

  /** The roles that keep their data in the admin's PostgreSQL. */
  static boolean needsPostgres(Settings settings) {
    return settings.roles().contains(Role.ADMIN) || settings.roles().contains(Role.BILLING)
        || settings.roles().contains(Role.AUDIT);
  }

  String redisUrl() {
    return redisUrl;
  }

  String pgUrl() {
    return pgUrl;
  }

  void stop() {
    if (postgres != null) {
      postgres.close();
      postgres = null;
    }
    if (redis != null) {
      redis.stop();
      redis = null;
    }
  }
}
