package io.tollgate.admin;

import io.tollgate.api.config.GatewayConfig;
import java.util.function.Supplier;

/**
 * Settings of the admin role. The launcher reads the environment ({@code TOLLGATE_BIND_HOST},
 * {@code TOLLGATE_ADMIN_PORT}, {@code TOLLGATE_ADMIN_TOKEN}, the database URI) and passes them in.
 */
public final class AdminOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8081;
  public static final int DEFAULT_POOL_SIZE = 4;
  /** Largest accepted request body; a config import of a few hundred models fits. */
  public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String token;
  private String postgresUri;
  private int poolSize = DEFAULT_POOL_SIZE;
  private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private GatewayConfig seedConfig;
  private String secretsKey;
  private Supplier<String> gatewayUrl = () -> null;

  public String getHost() {
    return host;
  }

  public AdminOptions setHost(String host) {
    this.host = host;
    return this;
  }

  /** 0 picks a free port (tests); the bound port is then {@link AdminVerticle#actualPort()}. */
  public int getPort() {
    return port;
  }

  public AdminOptions setPort(int port) {
    this.port = port;
    return this;
  }

  /** The bearer token every admin request must carry; required. */
  public String getToken() {
    return token;
  }

  public AdminOptions setToken(String token) {
    this.token = token;
    return this;
  }

  /** {@code postgresql://user:password@host:port/database}; required. */
  public String getPostgresUri() {
    return postgresUri;
  }

  public AdminOptions setPostgresUri(String postgresUri) {
    this.postgresUri = postgresUri;
    return this;
  }

  public int getPoolSize() {
    return poolSize;
  }

  public AdminOptions setPoolSize(int poolSize) {
    this.poolSize = poolSize;
    return this;
  }

  public long getMaxBodyBytes() {
    return maxBodyBytes;
  }

  public AdminOptions setMaxBodyBytes(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
    return this;
  }

  /**
   * Base64 of the 32-byte AES key that encrypts literal upstream keys at rest
   * ({@code TOLLGATE_SECRETS_KEY}); null: literal keys are refused (references only).
   */
  public String getSecretsKey() {
    return secretsKey;
  }

  public AdminOptions setSecretsKey(String secretsKey) {
    this.secretsKey = secretsKey;
    return this;
  }

  /**
   * The public URL of the gateway API (the edge), which {@code GET /admin/v1/info} tells the web
   * console's playground. A supplier because an edge in the same JVM only knows its port once it
   * listens, after the admin; answering null means unknown (the operator types it in).
   */
  public Supplier<String> getGatewayUrl() {
    return gatewayUrl;
  }

  public AdminOptions setGatewayUrl(Supplier<String> gatewayUrl) {
    this.gatewayUrl = gatewayUrl == null ? () -> null : gatewayUrl;
    return this;
  }

  /** A config file to import (idempotently) once migrations have run; null for none. */
  public GatewayConfig getSeedConfig() {
    return seedConfig;
  }

  public AdminOptions setSeedConfig(GatewayConfig seedConfig) {
    this.seedConfig = seedConfig;
    return this;
  }
}
