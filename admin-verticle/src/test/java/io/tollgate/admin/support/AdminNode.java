package io.tollgate.admin.support;

import io.tollgate.admin.AdminOptions;
import io.tollgate.admin.AdminVerticle;
import io.tollgate.api.codec.Codecs;
import io.vertx.core.Vertx;

/** A Vert.x instance with the codecs registered and an admin verticle on a free port. */
public final class AdminNode implements AutoCloseable {

  public static final String TOKEN = "test-admin-token";

  public final Vertx vertx;
  public final AdminVerticle admin;
  public final AdminClient client;

  private AdminNode(Vertx vertx, AdminVerticle admin) {
    this.vertx = vertx;
    this.admin = admin;
    this.client = new AdminClient(admin.actualPort(), TOKEN);
  }

  public static AdminNode start(String postgresUri) {
    return start(postgresUri, null);
  }

  /** @param secretsKey base64 AES key for literal upstream keys; null: literals are refused */
  public static AdminNode start(String postgresUri, String secretsKey) {
    Vertx vertx = Vertx.vertx();
    registerCodecs(vertx);
    return deploy(vertx, postgresUri, secretsKey);
  }

  public static AdminNode deploy(Vertx vertx, String postgresUri) {
    return deploy(vertx, postgresUri, null);
  }

  public static AdminNode deploy(Vertx vertx, String postgresUri, String secretsKey) {
    AdminVerticle admin = new AdminVerticle(new AdminOptions().setPort(0).setToken(TOKEN).setPostgresUri(postgresUri)
        .setSecretsKey(secretsKey));
    Await.result(vertx.deployVerticle(admin));
    return new AdminNode(vertx, admin);
  }

  public static void registerCodecs(Vertx vertx) {
    Codecs.registerAll(vertx);
  }

  @Override
  public void close() {
    Await.result(vertx.close());
  }
}
