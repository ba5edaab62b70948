package io.tollgate.api.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Where the shared databases are, when the config file says so ({@code TOLLGATE_PG_URL} and
 * {@code TOLLGATE_REDIS_URL} win over it). Absent: embedded ones in a single JVM.
 *
 * @param postgresUrl {@code postgresql://user:password@host:port/db} for the admin role
 * @param redisUrl    {@code redis://host:port} for the edge's limits
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StorageConfig(String postgresUrl, String redisUrl) {

  public static final StorageConfig NONE = new StorageConfig(null, null);
}
