package io.tollgate.launcher;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar tollgate.jar [--config FILE] [--roles LIST] [--cluster]}, or
 * {@code java -jar tollgate.jar policy-eval ...} ({@link PolicyEvalCommand}).
 */
public final class Main {

  static {
    // Before the first logger exists: logback.xml picks its appender from this property.
    System.setProperty("tollgate.log.appender", LogFormat.appender(System.getenv("TOLLGATE_LOG_FORMAT"),
        System.console() != null));
    System.setProperty("tollgate.access.level", LogFormat.accessLevel(System.getenv("TOLLGATE_ACCESS_LOG")));
  }

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final long SHUTDOWN_TIMEOUT_SECONDS = 25;
  /** How long SIGTERM lets in-flight streams finish before the node closes ({@code TOLLGATE_DRAIN_SECONDS}). */
  static final long DEFAULT_DRAIN_SECONDS = 30;

  private Main() {
  }

  public static void main(String[] args) {
    if (args.length > 0 && PolicyEvalCommand.NAME.equals(args[0])) {
      // A command, not a node: its report is the product and goes to standard output.
      System.exit(PolicyEvalCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err,
          System::getenv));
      return;
    }
    Settings settings;
    try {
      settings = Settings.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      LOG.error("{}", e.getMessage());
      System.exit(2);
      return;
    }
    Tollgate.start(settings, System::getenv)
        .onSuccess(node -> Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            // SIGTERM: stop taking requests, let streams finish (bounded), then leave the cluster.
            long drain = drainSeconds(System.getenv("TOLLGATE_DRAIN_SECONDS"));
            node.drain(Duration.ofSeconds(drain)).await(drain + 5, TimeUnit.SECONDS);
            // Bounded: an orchestrator's SIGTERM must end the process even if something hangs.
            node.close().await(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
          } catch (Exception e) {
            LOG.warn("shutdown was not clean: {}", e.toString());
          }
        }, "tollgate-shutdown")))
        .onFailure(e -> {
          LOG.error("Tollgate failed to start: {}", e.getMessage(), e instanceof IllegalArgumentException ? null : e);
          System.exit(1);
        });
  }

  static long drainSeconds(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT_DRAIN_SECONDS;
    }
    try {
      return Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      LOG.warn("TOLLGATE_DRAIN_SECONDS={} is not a number of seconds; using {}", value, DEFAULT_DRAIN_SECONDS);
      return DEFAULT_DRAIN_SECONDS;
    }
  }
}
