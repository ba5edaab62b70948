package io.tollgate.launcher;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar tollgate.jar [--config FILE] [--roles LIST] [--cluster]}, or
 * {@code java -jar tollgate.jar policy-eval ...} ({@link PolicyEvalCommand}).
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final long SHUTDOWN_TIMEOUT_SECONDS = 25;

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
}
