package io.tollgate.bench;

import io.tollgate.traffic.embedded.EmbeddedRedisServer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A shared Redis for the clustered benchmark on machines without one: starts the embedded Redis,
 * writes its URL to the file named by the first argument and runs until killed.
 */
public final class EmbeddedRedisMain {

  private EmbeddedRedisMain() {
  }

  public static void main(String[] args) throws Exception {
    EmbeddedRedisServer redis = EmbeddedRedisServer.start();
    Runtime.getRuntime().addShutdownHook(new Thread(redis::stop));
    Files.writeString(Path.of(args[0]), redis.url());
    Thread.currentThread().join();
  }
}
