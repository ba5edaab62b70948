package io.tollgate.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Tollgate node in its own JVM ({@link Main} on the test classpath), for tests that kill a node
 * the hard way. Its log goes to this JVM's log, prefixed; {@link #started} completes when it logs
 * that it started.
 */
final class NodeProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NodeProcess.class);

  private final Process process;
  final CompletableFuture<Void> started = new CompletableFuture<>();

  private NodeProcess(Process process, String name) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.contains("Tollgate started")) {
            started.complete(null);
          }
          if (line.contains("WARN") || line.contains("ERROR") || line.contains("Tollgate started")) {
            LOG.info("[{}] {}", name, line);
          }
        }
      } catch (IOException e) {
        LOG.debug("[{}] output closed: {}", name, e.toString());
      }
      started.completeExceptionally(new IllegalStateException(name + " exited before it started"));
    }, "node-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code --cluster --roles roles} with the test's classpath and these environment variables. */
  static NodeProcess start(String name, String roles, Map<String, String> env) {
    return start(name, List.of("--cluster", "--roles", roles), env);
  }

  /** Starts {@link Main} with {@code args}, the test's classpath and these environment variables. */
  static NodeProcess start(String name, List<String> args, Map<String, String> env) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    try {
      return new NodeProcess(pb.start(), name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void awaitStarted(long seconds) throws Exception {
    started.get(seconds, TimeUnit.SECONDS);
  }

  /** SIGTERM, as an orchestrator stops a node: the shutdown hook drains it. */
  void terminate() {
    process.destroy();
  }

  /** The exit code once the process ended within {@code seconds}, else null. */
  Integer exitCode(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : null;
  }

  /** kill -9: no shutdown hook, no drain, connections dropped mid-statement. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
